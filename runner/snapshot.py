"""An immutable tar of a repository's files, built once and streamed into every sandbox."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from runner.errors import SnapshotError

# Never copied when the folder is not a git checkout (and ignored inside one anyway).
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        "node_modules",
        ".eggs",
    }
)
MAX_SNAPSHOT_BYTES = 200 * 1024 * 1024
SANDBOX_UID = 10001


def _git_files(root: Path) -> list[str] | None:
    """Tracked plus untracked-but-not-ignored files, or None when `root` is not a git checkout."""
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    names = [n for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted({n for n in names if not set(Path(n).parts) & SKIPPED_DIRS})


def _walk_files(root: Path) -> list[str]:
    found: list[str] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        base = Path(current).relative_to(root)
        found.extend(str(base / name) if str(base) != "." else name for name in files)
    return sorted(f for f in found if not f.endswith((".pyc", ".pyo")))


def _through_symlink(root: Path, name: str) -> bool:
    """True when a folder on the way to `name` is a symlink: reading through it could reach
    files outside the repository (the host's), so such paths are never read."""
    current = root
    for part in Path(name).parts[:-1]:
        current = current / part
        if current.is_symlink():
            return True
    return False


def _read_regular(source: Path) -> bytes | None:
    """The file's bytes, never following a symlink in its last component; None if not a file."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOENT, errno.ENOTDIR):
            return None
        raise SnapshotError(f"Cannot read {source}: {exc.strerror}.") from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def _member(name: str, size: int, mode: int, kind: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.type = kind
    info.uid = info.gid = SANDBOX_UID
    info.mtime = 0
    return info


def tar_members(files: dict[str, bytes], prefix: str) -> bytes:
    """Tar headers + data for in-memory files, without the end-of-archive blocks."""
    buffer = io.BytesIO()
    archive = tarfile.TarFile(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT)
    for name, data in files.items():
        archive.addfile(_member(f"{prefix}/{name}", len(data), 0o644), io.BytesIO(data))
    return buffer.getvalue()  # read before close(): close() would append the end marker


def end_of_archive() -> bytes:
    return b"\0" * 1024


@dataclass(frozen=True)
class RepoSnapshot:
    """The files of a repository at one moment, as tar members under `repo/`."""

    root: Path
    files: tuple[str, ...]
    tar_body: bytes = field(repr=False)
    digest: str

    @classmethod
    def from_path(cls, path: Path) -> RepoSnapshot:
        root = Path(path).expanduser()
        if not root.exists():
            raise SnapshotError(f"{root} does not exist; pass the folder of the repository.")
        if not root.is_dir():
            raise SnapshotError(f"{root} is not a directory; pass the repository's folder.")
        root = root.resolve()
        names = _git_files(root)
        names = names if names is not None else _walk_files(root)
        buffer = io.BytesIO()
        archive = tarfile.TarFile(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT)
        digest = hashlib.sha256()
        kept: list[str] = []
        total = 0
        for name in names:
            source = root / name
            if _through_symlink(root, name):
                continue
            if source.is_symlink():
                target = os.readlink(source)
                info = _member(f"repo/{name}", 0, 0o777, tarfile.SYMTYPE)
                info.linkname = target
                archive.addfile(info)
                digest.update(f"L{name}\0{target}\0".encode())
            elif (data := _read_regular(source)) is not None:
                total += len(data)
                if total > MAX_SNAPSHOT_BYTES:
                    raise SnapshotError(
                        f"{root} holds more than {MAX_SNAPSHOT_BYTES >> 20} MiB of files; add "
                        "build output and data sets to .gitignore so they are not copied."
                    )
                mode = 0o755 if os.access(source, os.X_OK) else 0o644
                archive.addfile(_member(f"repo/{name}", len(data), mode), io.BytesIO(data))
                digest.update(f"F{name}\0{mode}\0".encode() + hashlib.sha256(data).digest())
            else:
                continue
            kept.append(name)
        return cls(root, tuple(kept), buffer.getvalue(), digest.hexdigest()[:16])

    def read(self, name: str) -> bytes | None:
        """A file's bytes as captured (read back from the tar body), or None if absent or a
        symlink (a link's target is never read)."""
        if name not in self.files:
            return None
        return self.read_many([name]).get(name)

    def read_many(self, names: list[str]) -> dict[str, bytes]:
        """Several files' bytes in one pass over the tar body (absent names are left out)."""
        wanted = {f"repo/{name}" for name in names if name in self.files}
        found: dict[str, bytes] = {}
        if not wanted:
            return found
        with tarfile.open(fileobj=io.BytesIO(self.tar_body + end_of_archive())) as archive:
            for member in archive:
                if member.name in wanted and member.isfile():
                    data = archive.extractfile(member)
                    found[member.name[len("repo/") :]] = data.read() if data else b""
        return found

    def archive_with(self, extra: dict[str, bytes]) -> bytes:
        """The full tar stream: the repository under repo/, plus `extra` files under truth/."""
        return self.tar_body + tar_members(extra, "truth") + end_of_archive()

"""Which files a snapshot carries, and the tar stream it builds."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from runner.errors import SnapshotError
from runner.snapshot import RepoSnapshot


def names_in(data: bytes) -> set[str]:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        return set(archive.getnames())


def test_plain_folder_skips_vcs_venvs_and_caches(tmp_path: Path) -> None:
    for name in [
        "a.py",
        "pkg/b.py",
        ".git/config",
        ".venv/bin/python",
        "pkg/__pycache__/b.pyc",
        "c.pyc",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    snapshot = RepoSnapshot.from_path(tmp_path)
    assert snapshot.files == ("a.py", "pkg/b.py")
    assert snapshot.read("pkg/b.py") == b"x"


def test_git_checkout_uses_tracked_and_unignored_files(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "kept.py").write_text("x")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.bin").write_text("ignored")
    assert RepoSnapshot.from_path(tmp_path).files == (".gitignore", "kept.py")


def test_archive_has_repo_and_runner_files_and_an_end_marker(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("print(1)\n")
    snapshot = RepoSnapshot.from_path(tmp_path)
    assert names_in(snapshot.archive_with({"patch.diff": b"diff"})) == {
        "repo/a.py",
        "truth/patch.diff",
    }
    assert snapshot.archive_with({}).endswith(b"\0" * 1024)


def test_digest_follows_content(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("1")
    first = RepoSnapshot.from_path(tmp_path).digest
    (tmp_path / "a.py").write_text("2")
    assert RepoSnapshot.from_path(tmp_path).digest != first


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_bad_paths_raise_snapshot_error(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x"
    if kind == "file":
        target.write_text("")
    with pytest.raises(SnapshotError, match=r"does not exist|not a directory"):
        RepoSnapshot.from_path(target)

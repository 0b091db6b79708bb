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


SECRET = b"host-only secret 7f3a"


def host_folder(tmp_path: Path) -> Path:
    outside = tmp_path / "host"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "x.txt").write_bytes(SECRET)
    return outside


def test_no_symlink_is_followed_out_of_a_plain_folder(tmp_path: Path) -> None:
    outside, repo = host_folder(tmp_path), tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x")
    (repo / "linked").symlink_to(outside, target_is_directory=True)
    (repo / "leak.txt").symlink_to(outside / "secret.txt")
    snapshot = RepoSnapshot.from_path(repo)
    assert SECRET not in snapshot.tar_body
    assert "linked/secret.txt" not in snapshot.files
    assert snapshot.read("leak.txt") is None  # kept as a link, never as the host's bytes


def test_no_symlink_is_followed_out_of_a_git_checkout_at_any_depth(tmp_path: Path) -> None:
    outside, repo = host_folder(tmp_path), tmp_path / "repo"
    (repo / "deep" / "sub").mkdir(parents=True)
    (repo / "deep" / "sub" / "x.txt").write_text("tracked")
    (repo / "a.py").write_text("x")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    # the index still lists deep/sub/x.txt, but sub is now a link to a host folder
    (repo / "deep" / "sub" / "x.txt").unlink()
    (repo / "deep" / "sub").rmdir()
    (repo / "deep" / "sub").symlink_to(outside, target_is_directory=True)
    (repo / "untracked").symlink_to(outside, target_is_directory=True)
    snapshot = RepoSnapshot.from_path(repo)
    assert SECRET not in snapshot.tar_body
    assert "deep/sub/x.txt" not in snapshot.files
    assert "a.py" in snapshot.files

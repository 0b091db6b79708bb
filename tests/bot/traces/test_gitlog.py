"""The one-pass git reader on awkward histories: odd paths, binaries, deletions, empty commits."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.traces.gitlog import after_blob_oids, blob_sha256, read_commits, resolve_commits
from tests.bot.traces.history import commit, git, init_repo


def test_odd_paths_binaries_deletions_and_empty_commits(tmp_path: Path):
    repo = tmp_path / "r"
    init_repo(repo)
    base = commit(repo, {"gone.txt": "bye\n", "keep.txt": "a\n"}, "base", 1_700_000_000)
    (repo / "data.bin").write_bytes(b"\x00\x01\x02binary")
    spaced = commit(repo, {"dir with space/naïve file.py": "x = 1\n"}, "odd path", 1_700_000_100)
    deleted = commit(repo, {"gone.txt": None}, "delete", 1_700_000_200)
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    head = git(repo, "rev-parse", "HEAD")

    commits = read_commits(repo, base, head)
    assert [c.message for c in commits] == ["odd path", "delete", "empty"]
    first = {f.path: f for f in commits[0].files}
    assert set(first) == {"dir with space/naïve file.py", "data.bin"}
    assert first["dir with space/naïve file.py"].change == "added"
    assert first["dir with space/naïve file.py"].lines_added == 1
    assert "Binary files" in first["data.bin"].diff
    assert commits[1].files[0].path == "gone.txt" and commits[1].files[0].change == "deleted"
    assert commits[1].files[0].after_oid is None and commits[1].files[0].lines_removed == 1
    assert commits[2].files == []
    assert commits[0].sha == spaced and commits[1].sha == deleted

    oids = after_blob_oids(repo, base, head)
    assert sorted(oids) == sorted(f.after_oid for f in commits[0].files if f.after_oid)
    hashes = blob_sha256(repo, oids)
    assert (
        hashes[first["data.bin"].after_oid or ""]
        == hashlib.sha256(b"\x00\x01\x02binary").hexdigest()
    )
    assert resolve_commits(repo, "HEAD~1", "HEAD") == [deleted, head]

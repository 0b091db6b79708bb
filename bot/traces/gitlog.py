"""Read a commit range from a local git repository in one `git log -p` pass plus one
`git cat-file --batch` for the after-hashes, never a process per file."""

from __future__ import annotations

import codecs
import hashlib
import io
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

NULL_OID = "0" * 40
_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%ct%x1f%B%x1f"
_GIT = ["git", "-c", "core.quotepath=off", "-c", "diff.noprefix=false", "-c", "color.ui=never"]


class GitError(RuntimeError):
    """git refused (not a repository, unknown ref…); the message says what to check."""


@dataclass
class FileChange:
    path: str
    change: str  # added | modified | deleted
    diff: str
    after_oid: str | None
    lines_added: int = 0
    lines_removed: int = 0


@dataclass
class CommitRecord:
    sha: str
    parents: list[str]
    author: str
    author_email: str
    author_time: int
    commit_time: int
    message: str
    files: list[FileChange] = field(default_factory=list)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            [*_GIT, "-C", str(repo), *args], input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH; install git and retry") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"`git {' '.join(args[:3])}` failed in {repo}: {detail}")
    return done.stdout


def git_log_args(base: str, head: str) -> list[str]:
    """The `git log -p` invocation; the benchmark runs the same one as its floor."""
    return [
        "log",
        "--reverse",
        "-p",
        "--full-index",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        f"--format={_FORMAT}",
        f"{base}..{head}",
    ]


def resolve_commits(repo: Path, *refs: str) -> list[str]:
    """Full SHAs of `refs`, in one call; an unknown ref raises GitError naming it."""
    for ref in refs:
        if not ref or ref.startswith("-"):
            raise GitError(f"{ref!r} is not a commit reference; pass a branch, tag or SHA")
    out = git(repo, "rev-parse", *(f"{r}^{{commit}}" for r in refs))
    return out.decode().split()


def read_commits(repo: Path, base: str, head: str) -> list[CommitRecord]:
    return list(iter_commits(repo, base, head))


def iter_commits(repo: Path, base: str, head: str) -> Iterator[CommitRecord]:
    """Commits parsed while git is still writing the rest, so parsing overlaps git's work."""
    process = subprocess.Popen(
        [*_GIT, "-C", str(repo), *git_log_args(base, head)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    stdout = cast(io.BufferedReader, process.stdout)  # read1: whatever is there, no waiting
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    pending = ""
    try:
        while chunk := stdout.read1(1 << 16):
            pending += decoder.decode(chunk)
            cut = pending.rfind("\x1e")
            if cut > 0:
                complete, pending = pending[:cut], pending[cut:]
                yield from (parse_commit(p) for p in complete.split("\x1e") if p)
        pending += decoder.decode(b"", final=True)
        errors = process.stderr.read()
    finally:
        process.stdout.close()
        returncode = process.wait()
        process.stderr.close()
    if returncode != 0:
        detail = errors.decode("utf-8", "replace").strip()
        raise GitError(f"`git log` failed in {repo}: {detail}")
    yield from (parse_commit(p) for p in pending.split("\x1e") if p)


def parse_commit(piece: str) -> CommitRecord:
    sha, parents, author, email, at, ct, message, patch = piece.split("\x1f", 7)
    return CommitRecord(
        sha=sha,
        parents=parents.split(),
        author=author,
        author_email=email,
        author_time=int(at),
        commit_time=int(ct),
        message=message.strip(),
        files=parse_patch(patch),
    )


def _unquote(path: str) -> str:
    if len(path) >= 2 and path[0] == '"' and path[-1] == '"':
        raw = codecs.escape_decode(path[1:-1].encode("utf-8"))[0]
        return raw.decode("utf-8", "replace")
    return path


def _path_from_diff_line(line: str) -> str:
    rest = line[len("diff --git ") :]
    if rest.startswith('"'):
        return _unquote(rest[rest.index('" ') + 2 :].strip())[2:]
    middle = (len(rest) - 1) // 2  # "a/X b/X": both halves equal when there is no rename
    return rest[middle + 1 :][2:]


def parse_patch(patch: str) -> list[FileChange]:
    sections = patch.split("\ndiff --git ")
    first = sections[0].lstrip("\n")
    sections = ([first] if first.startswith("diff --git ") else []) + [
        "diff --git " + s for s in sections[1:]
    ]
    return [_parse_section(s.rstrip("\n") + "\n") for s in sections]


def _names_file(line: str, change: str) -> bool:
    # The new path names the file, except for a deletion where only the old one exists.
    if line[4:] == "/dev/null":
        return False
    return line.startswith("+++ ") or (line.startswith("--- ") and change == "deleted")


def _parse_section(section: str) -> FileChange:
    hunks_at = section.find("\n@@")
    header = section if hunks_at < 0 else section[:hunks_at]
    lines = header.split("\n")
    path = _path_from_diff_line(lines[0])
    change, after_oid = "modified", None
    for line in lines[1:]:
        if line.startswith("new file mode"):
            change = "added"
        elif line.startswith("deleted file mode"):
            change = "deleted"
        elif line.startswith("index "):
            after_oid = line.split()[1].split("..")[1]
        elif _names_file(line, change):
            path = _unquote(line[4:].rstrip("\t"))[2:]  # git tabs paths with spaces
    if change == "deleted" or after_oid == NULL_OID:
        after_oid = None
    # Counting in C: every hunk line that starts with +/- is an added/removed line.
    hunks = "" if hunks_at < 0 else section[hunks_at:]
    return FileChange(path, change, section, after_oid, hunks.count("\n+"), hunks.count("\n-"))


def after_blob_oids(repo: Path, base: str, head: str) -> list[str]:
    """Blob ids of every file as each commit left it, from a cheap `--raw` pass; run beside
    `read_commits` so the content hashing overlaps the patch parsing."""
    raw = git(repo, "log", "--raw", "--no-abbrev", "--no-renames", "--format=", f"{base}..{head}")
    oids = []
    for line in raw.decode("utf-8", "replace").splitlines():
        if line.startswith(":"):
            new_oid = line.split(maxsplit=4)[3]
            if new_oid != NULL_OID:
                oids.append(new_oid)
    return oids


def blob_sha256(repo: Path, oids: list[str]) -> dict[str, str]:
    """SHA-256 of each blob's content, all read through one `git cat-file --batch`."""
    unique = sorted(set(oids))
    if not unique:
        return {}
    out = git(repo, "cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
    hashes: dict[str, str] = {}
    position = 0
    while position < len(out):
        header_end = out.index(b"\n", position)
        header = out[position:header_end].decode().split()
        position = header_end + 1
        if len(header) < 3:  # "<oid> missing"
            continue
        size = int(header[2])
        if header[1] == "blob":
            hashes[header[0]] = hashlib.sha256(out[position : position + size]).hexdigest()
        position += size + 1
    return hashes

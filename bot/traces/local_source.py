"""Rebuild a trace from a local git repository's commit range."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.traces import gitlog
from bot.traces.build import EventLog, RationaleStructurer, assemble
from bot.traces.rationale import structure
from bot.traces.schema import Trace


@dataclass(frozen=True)
class CommitTests:
    """One commit's sandboxed test run, as the --run-tests path records it."""

    command: str
    exit_code: int | None
    duration_ms: float
    num_passed: int
    num_failed: int
    num_skipped: int
    failed_tests: list[str]
    source: str = "sandbox"


def reconstruct_local(
    repo_path: Path,
    base: str,
    head: str,
    *,
    structurer: RationaleStructurer | None = None,
    tests: Mapping[str, CommitTests] | None = None,
    consent: bool = True,
    server_time: float | None = None,
) -> Trace:
    """Events in commit order: the message as a rationale note, one file_edit per file, then
    the commit's test run when `tests` has one. Redacted and measured, not yet sealed."""
    structure_note = structurer or structure
    repo_path = repo_path.resolve()
    base_sha, head_sha = gitlog.resolve_commits(repo_path, base, head)
    # The after-hashes (a --raw pass, then cat-file) are computed beside the patch pass and
    # the event building, and filled in at the end.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_after_hashes, repo_path, base_sha, head_sha)
        log = EventLog(server_time)
        edits: list[tuple[dict[str, object], str | None]] = []
        last = None
        for last in gitlog.iter_commits(repo_path, base_sha, head_sha):
            _add_commit(log, last, structure_note, (tests or {}).get(last.sha), edits)
        after = pending.result()
    for event, oid in edits:
        event["buffer_hash_after"] = after.get(oid) if oid else None
    return assemble({
        "session": {"source": "local", "consent": consent, "actor": last.author if last else None},
        "task": {"title": last.message.splitlines()[0] if last and last.message else ""},
        "repo": {"name": repo_path.name, "base": base_sha, "head": head_sha},
        "environment": {"os": platform.system(), "python": sys.version.split()[0]},
    }, log)  # fmt: skip


def _after_hashes(repo: Path, base: str, head: str) -> dict[str, str]:
    return gitlog.blob_sha256(repo, gitlog.after_blob_oids(repo, base, head))


def _add_commit(
    log: EventLog,
    commit: gitlog.CommitRecord,
    structure_note: RationaleStructurer,
    result: CommitTests | None,
    edits: list[tuple[dict[str, object], str | None]],
) -> None:
    committed = float(commit.commit_time)
    log.note(float(commit.author_time), commit.message, structure_note, commit=commit.sha,
             source="commit_message", author=commit.author)  # fmt: skip
    for change in commit.files:
        event = log.file_edit(
            committed,
            commit=commit.sha,
            file_path=change.path,
            change=change.change,
            diff_unified=change.diff,
            buffer_hash_after=None,
            lines_added=change.lines_added,
            lines_removed=change.lines_removed,
        )
        edits.append((event, change.after_oid))
    if result is not None:
        log.cmd_run(committed, commit=commit.sha, cmd=result.command, exit_code=result.exit_code,
                    duration_ms=result.duration_ms, source=result.source)  # fmt: skip
        log.test_run(committed, commit=commit.sha, num_passed=result.num_passed,
                     num_failed=result.num_failed, num_skipped=result.num_skipped,
                     failed_tests=result.failed_tests, duration_ms=result.duration_ms,
                     source=result.source)  # fmt: skip

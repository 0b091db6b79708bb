"""Rebuild a trace from a local git repository's commit range."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.traces import gitlog
from bot.traces.build import EventLog, RationaleStructurer, complete
from bot.traces.rationale import structure
from bot.traces.schema import Environment, Repo, Session, Task, Trace


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
    commits = gitlog.read_commits(repo_path, base, head)
    after = gitlog.blob_sha256(
        repo_path, [f.after_oid for c in commits for f in c.files if f.after_oid]
    )
    log = EventLog(server_time)
    for commit in commits:
        when = float(commit.author_time)
        log.note(
            when,
            commit.message,
            structure_note,
            commit=commit.sha,
            source="commit_message",
            author=commit.author,
        )
        for change in commit.files:
            log.file_edit(
                float(commit.commit_time),
                commit=commit.sha,
                file_path=change.path,
                change=change.change,
                diff_unified=change.diff,
                buffer_hash_after=after.get(change.after_oid) if change.after_oid else None,
                lines_added=change.lines_added,
                lines_removed=change.lines_removed,
            )
        result = (tests or {}).get(commit.sha)
        if result is not None:
            log.cmd_run(
                float(commit.commit_time),
                commit=commit.sha,
                cmd=result.command,
                exit_code=result.exit_code,
                duration_ms=result.duration_ms,
                source=result.source,
            )
            log.test_run(
                float(commit.commit_time),
                commit=commit.sha,
                num_passed=result.num_passed,
                num_failed=result.num_failed,
                num_skipped=result.num_skipped,
                failed_tests=result.failed_tests,
                duration_ms=result.duration_ms,
                source=result.source,
            )
    head_sha = gitlog.git(repo_path, "rev-parse", head).decode().strip()
    base_sha = gitlog.git(repo_path, "rev-parse", base).decode().strip()
    trace = Trace(
        session=Session(
            source="local", consent=consent, actor=commits[-1].author if commits else None
        ),
        task=Task(title=commits[-1].message.splitlines()[0] if commits else ""),
        repo=Repo(name=repo_path.name, base=base_sha, head=head_sha),
        environment=Environment(os=platform.system(), python=sys.version.split()[0]),
        events=log.events,  # type: ignore[arg-type]
    )
    return complete(trace)

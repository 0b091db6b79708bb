"""Rebuild a trace from a GitHub pull request: commits, per-commit files, check runs, reviews."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.constants import TRACE_CHECK_RUN_NAME as CHECK_RUN_NAME
from bot.settings import Settings
from bot.traces.build import EventLog, assemble
from bot.traces.ci_results import check_exit_code, parse_check_output
from bot.traces.pr_history import HistoryCache, fetch_history
from bot.traces.rationale import structure
from bot.traces.schema import Trace, Validation
from bot.traces.service import judge_and_seal


def _when(stamp: str | None) -> float:
    if not stamp:
        return 0.0
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _add_checks(log: EventLog, sha: str, checks: list[tuple[dict[str, Any], Any]]) -> None:
    for run, notes in checks:
        ts = _when(run.get("completed_at") or run.get("started_at"))
        started, finished = _when(run.get("started_at")), _when(run.get("completed_at"))
        duration = (finished - started) * 1000 if started and finished else None
        log.cmd_run(
            ts,
            commit=sha,
            cmd=f"CI: {run.get('name')}",
            source="ci",
            exit_code=check_exit_code(run.get("conclusion")),
            duration_ms=duration,
            url=run.get("html_url"),
        )
        output = run.get("output") or {}
        text = "\n".join(str(output.get(k) or "") for k in ("title", "summary", "text"))
        tests = parse_check_output(text, notes)
        if tests.found:
            log.test_run(
                ts,
                commit=sha,
                source="ci",
                num_passed=tests.passed,
                num_failed=tests.failed,
                num_skipped=tests.skipped,
                failed_tests=tests.failed_tests,
                duration_ms=duration,
            )


async def reconstruct_pr(
    gh: Any,
    repository: str,
    pull_number: int,
    model: str | None = None,
    api_base: str | None = None,
    cache: HistoryCache | None = None,
) -> Trace:
    """The PR's trace, redacted and measured, not yet judged or sealed.

    With the `cache` of earlier snapshots, only what changed since is fetched from GitHub.
    """
    history = await fetch_history(gh, repository, pull_number, cache)
    pull, details, checks = history.pull, history.details, history.checks
    reviews, after = history.reviews, history.after

    def structurer(text: str) -> Any:
        return structure(text, model, api_base)

    log = EventLog()
    for detail, commit_checks in zip(details, checks, strict=True):
        sha, commit = detail["sha"], detail.get("commit", {})
        authored = _when((commit.get("author") or {}).get("date"))
        committed = _when((commit.get("committer") or {}).get("date")) or authored
        log.note(
            authored,
            commit.get("message", ""),
            structurer,
            commit=sha,
            source="commit_message",
            author=(detail.get("author") or {}).get("login"),
        )
        for file in detail.get("files", []):
            removed = file.get("status") == "removed"
            log.file_edit(
                committed,
                commit=sha,
                file_path=file["filename"],
                change={"added": "added", "removed": "deleted"}.get(file.get("status"), "modified"),
                diff_unified=f"--- a/{file['filename']}\n+++ b/{file['filename']}\n"
                + (file.get("patch") or ""),
                buffer_hash_after=None if removed else after.get(file.get("sha", "")),
                lines_added=file.get("additions", 0),
                lines_removed=file.get("deletions", 0),
            )
        _add_checks(log, sha, commit_checks)
    for comment in sorted(reviews, key=lambda c: c.get("created_at") or ""):
        log.note(
            _when(comment.get("created_at")),
            comment.get("body") or "",
            structurer,
            commit=comment.get("commit_id"),
            source="review_comment",
            author=(comment.get("user") or {}).get("login"),
        )
    return assemble(
        {
            "session": {
                "source": "github",
                # Installing the app and triggering a trace (/truth trace, closing the PR) is
                # the repository owner's opt-in; no PR trace is built without the app.
                "consent": True,
                "actor": (pull.get("user") or {}).get("login"),
            },
            "task": {
                "title": pull.get("title") or "",
                "description": pull.get("body") or "",
                "pull_request": pull_number,
                "url": pull.get("html_url"),
            },
            "repo": {
                "name": repository,
                "url": f"https://github.com/{repository}",
                "base": (pull.get("base") or {}).get("sha"),
                "head": (pull.get("head") or {}).get("sha"),
            },
        },
        log,
    )


async def validate_head(
    gh: Any, settings: Settings, repository: str, head_sha: str, command: str
) -> Validation:
    """The head commit's tests in a clean sandbox, from GitHub's tarball of that commit."""
    import tempfile
    from pathlib import Path

    from bot.github.gather import download_repository
    from bot.traces.validate import run_tree, validation_from_run
    from runner.errors import RunnerError

    try:
        with tempfile.TemporaryDirectory(prefix="truth-trace-head-") as tmp:
            tree = await download_repository(gh, repository, head_sha, Path(tmp))
            run = await asyncio.to_thread(run_tree, tree, command, settings)
            return validation_from_run(run)
    except (RunnerError, OSError, ValueError) as exc:
        return Validation(
            status="error",
            tests_passed=None,
            command=command,
            reason=f"{type(exc).__name__}: {exc}",
        )


def chain_head_summary(trace: Trace) -> str:
    """What the check run publishes so third parties can hold the server to this trace."""
    assert trace.integrity is not None and trace.integrity.signature is not None
    judge = trace.qa.judge
    validation = trace.qa.validation
    return "\n".join(
        [
            f"Trace `{trace.trace_id}`: {trace.metrics.num_events} events from "
            f"{trace.metrics.num_commits} commits, {trace.metrics.redactions} secrets redacted.",
            "",
            f"- chain head (HMAC-SHA256): `{trace.integrity.event_hash_chain}`",
            f"- header SHA-256: `{trace.integrity.header_sha256}`",
            f"- schema hash: `{trace.integrity.schema_hash}`",
            f"- Ed25519 key `{trace.integrity.signature.key_id}`, signature "
            f"`{trace.integrity.signature.value}`",
            f"- validation: {validation.status if validation else 'not run'}",
            f"- judge ({judge.model}): overall {judge.scores.overall}/5" if judge else "- judge: -",
            "",
            "Check a copy with `truth trace-verify FILE --public-key KEY` (KEY from /v1/keys); it "
            "must show this chain head.",
        ]
    )


async def capture_pr_trace(
    gh: Any,
    settings: Settings,
    db: Engine | None = None,
    *,
    installation_id: int,
    repository: str,
    pull_number: int,
    validate: bool = True,
    publish: bool = True,
    cache: HistoryCache | None = None,
) -> Trace:
    """Rebuild, validate, judge and seal a PR's trace; store it (when `db` is given) and publish
    its chain head in a check run on the PR's head commit (when `publish`)."""
    trace = await reconstruct_pr(
        gh, repository, pull_number, settings.model, settings.model_api_base, cache
    )
    trace.session.installation_id = installation_id
    head = trace.repo.head
    command = "python -m pytest -q"
    validation = (
        await validate_head(gh, settings, repository, head, command)
        if validate and head
        else Validation(status="skipped", tests_passed=None, reason="validation not requested")
    )
    sealed = await asyncio.to_thread(judge_and_seal, trace, settings, validation)
    if db is not None:
        from bot.traces.ingest import store_sealed

        await asyncio.to_thread(store_sealed, db, installation_id, sealed)
    if publish and head:
        owner, _, name = repository.partition("/")
        await gh.rest.checks.async_create(
            owner,
            name,
            data={
                "name": CHECK_RUN_NAME,
                "head_sha": head,
                "status": "completed",
                "conclusion": "neutral",
                "output": {
                    "title": f"Trace sealed: {sealed}",
                    "summary": chain_head_summary(sealed),
                },
            },
        )
    return sealed

"""The failing checks of one head commit, with what GitHub shows of each, sorted into test runs.

Check runs (other CI apps and Actions jobs, the latest run of each name) and commit statuses
(CI that does not use checks) are both read; each gives its log (an Actions job's log, or a
check run's output and annotations, or a status's description). `bot/analysis/test_runs`
decides which of them ran tests; one session per head SHA then covers all of those.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from githubkit import GitHub
from githubkit.exception import RequestFailed

from bot.analysis.test_runs import CheckEvidence, Triage, triage
from bot.constants import CHECK_RUN_NAME, TRACE_CHECK_RUN_NAME
from bot.github import lists
from bot.github.client import split_repo

log = logging.getLogger(__name__)

FAILING = frozenset({"failure", "timed_out", "startup_failure"})
FAILING_STATES = frozenset({"failure", "error"})
MAX_LOG_CHARS = 200_000
OWN_CHECK_NAMES = frozenset({CHECK_RUN_NAME, TRACE_CHECK_RUN_NAME})


async def _actions_log(gh: GitHub[Any], repository: str, job_id: int) -> str:
    owner, name = split_repo(repository)
    response = await gh.rest.actions.async_download_job_logs_for_workflow_run(owner, name, job_id)
    return response.text[-MAX_LOG_CHARS:]


async def _check_run_evidence(gh: GitHub[Any], repository: str, run: Any) -> CheckEvidence:
    slug = run.app.slug if run.app and isinstance(run.app.slug, str) else None
    output = run.output
    parts = [t for t in (output.title, output.summary, output.text) if isinstance(t, str) and t]
    notes = [
        f"{note.path}:{note.start_line}: {note.message}"
        for note in await lists.check_annotations(gh, repository, run.id)
    ]
    text = "\n".join(parts)
    if slug == "github-actions":
        try:
            text = await _actions_log(gh, repository, run.id)  # an Actions run's id is its job's
        except RequestFailed as exc:
            log.warning("no log for Actions job %s: HTTP %s", run.id, exc.response.status_code)
    return CheckEvidence(str(run.name), text[-MAX_LOG_CHARS:], tuple(notes))


async def failing_checks(gh: GitHub[Any], repository: str, head_sha: str) -> list[CheckEvidence]:
    """Every failing check run and commit status on `head_sha` but Truth Engine's own."""
    found: list[CheckEvidence] = []
    for run in await lists.check_runs(gh, repository, head_sha, status="completed"):
        if run.conclusion in FAILING and run.name not in OWN_CHECK_NAMES:
            found.append(await _check_run_evidence(gh, repository, run))
    owner, name = split_repo(repository)
    combined = (
        await gh.rest.repos.async_get_combined_status_for_ref(owner, name, head_sha, per_page=100)
    ).parsed_data
    for status in combined.statuses:
        if status.state in FAILING_STATES:
            found.append(CheckEvidence(status.context, status.description or ""))
    return found


async def triage_head(
    gh: GitHub[Any], repository: str, head_sha: str, globs: Iterable[str] = ()
) -> tuple[Triage, str]:
    """Which failing checks ran tests, and their logs merged for the session (one per SHA)."""
    checks = await failing_checks(gh, repository, head_sha)
    sorted_out = triage(checks, globs)
    for skipped in sorted_out.skipped:
        log.info("%s@%s: not fixing %s: %s", repository, head_sha[:7], skipped.name, skipped.reason)
    test_names = {v.name for v in sorted_out.tests}
    logs = "\n".join("\n".join([c.log, *c.annotations]) for c in checks if c.name in test_names)
    return sorted_out, logs[-MAX_LOG_CHARS:]

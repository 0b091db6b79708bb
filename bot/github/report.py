"""Write results to GitHub idempotently: the live check run, the one status comment, the review.

Every write looks for its own earlier copy first (check run by external_id, comments and
reviews by hidden markers, the fix branch and PR by session id), so a retried or crashed job
edits instead of duplicating.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from githubkit import GitHub
from githubkit.exception import RequestFailed

from bot.github import comments
from bot.github.client import split_repo
from bot.github.fix_pr import CheckoutFiles, open_fix_pr
from bot.github.suggestions import place_suggestions

log = logging.getLogger(__name__)

CHECK_NAME = "Truth Engine"
UPDATE_INTERVAL_S = 1.0


@dataclass
class LiveCheckRun:
    """The "Truth Engine" check run on the head SHA, its output updated at most once a second."""

    gh: GitHub[Any]
    repository: str
    head_sha: str
    external_id: str
    details_url: str | None = None
    check_run_id: int | None = None
    lines: list[str] = field(default_factory=list)
    _last_update: float = 0.0
    _published: int = 0

    async def find(self) -> int | None:
        """The id of this job's check run if an earlier attempt created it."""
        owner, name = split_repo(self.repository)
        existing = (
            await self.gh.rest.checks.async_list_for_ref(
                owner, name, self.head_sha, check_name=CHECK_NAME
            )
        ).parsed_data.check_runs
        for run in existing:
            if run.external_id == self.external_id:
                self.check_run_id = run.id
                return run.id
        return None

    async def start(self) -> None:
        owner, name = split_repo(self.repository)
        await self.find()  # a retry of the same job keeps using its check run
        body: Any = {
            "status": "in_progress",
            "output": {"title": "Working…", "summary": "Analyzing failure…"},
        }
        if self.details_url:
            body["details_url"] = self.details_url
        if self.check_run_id is None:
            new: Any = {
                "name": CHECK_NAME,
                "head_sha": self.head_sha,
                "external_id": self.external_id,
                **body,
            }
            created = await self.gh.rest.checks.async_create(owner, name, data=new)
            self.check_run_id = created.parsed_data.id
        else:
            await self.gh.rest.checks.async_update(owner, name, self.check_run_id, data=body)
        self._last_update = time.monotonic()

    def add(self, line: str) -> None:
        self.lines.append(line)

    async def publish(self, force: bool = False) -> None:
        """Send new console lines, unless the last update was under a second ago."""
        if self.check_run_id is None or len(self.lines) == self._published:
            return
        if not force and time.monotonic() - self._last_update < UPDATE_INTERVAL_S:
            return
        owner, name = split_repo(self.repository)
        count = len(self.lines)
        data: Any = {
            "status": "in_progress",
            "output": {
                "title": "Working…",
                "summary": self.lines[-1][:1000],
                "text": comments.console_text(self.lines[:count]),
            },
        }
        await self.gh.rest.checks.async_update(owner, name, self.check_run_id, data=data)
        self._published = count
        self._last_update = time.monotonic()

    async def finish(self, conclusion: str, output: dict[str, str]) -> None:
        if self.check_run_id is None:
            return
        owner, name = split_repo(self.repository)
        data: Any = {"status": "completed", "conclusion": conclusion, "output": output}
        if self.details_url:
            data["details_url"] = self.details_url
        await self.gh.rest.checks.async_update(owner, name, self.check_run_id, data=data)


async def _find_comment(gh: GitHub[Any], repository: str, number: int, marker: str) -> int | None:
    owner, name = split_repo(repository)
    pages: Any = gh.paginate(
        gh.rest.issues.async_list_comments,
        owner=owner,
        repo=name,
        issue_number=number,
        per_page=100,
    )
    async for comment in pages:
        if isinstance(comment.body, str) and marker in comment.body:
            return int(comment.id)
    return None


async def upsert_comment(
    gh: GitHub[Any], repository: str, number: int, marker: str, body: str
) -> int:
    """Edit the comment carrying `marker`, or create it: one per PR, never a second."""
    owner, name = split_repo(repository)
    existing = await _find_comment(gh, repository, number, marker)
    if existing is not None:
        await gh.rest.issues.async_update_comment(owner, name, existing, data={"body": body})
        return existing
    created = await gh.rest.issues.async_create_comment(owner, name, number, data={"body": body})
    return int(created.parsed_data.id)


async def upsert_status(gh: GitHub[Any], repository: str, number: int, body: str) -> int:
    return await upsert_comment(gh, repository, number, comments.STATUS_MARKER, body)


async def _has_review(gh: GitHub[Any], repository: str, number: int, marker: str) -> bool:
    owner, name = split_repo(repository)
    pages: Any = gh.paginate(
        gh.rest.pulls.async_list_reviews, owner=owner, repo=name, pull_number=number, per_page=100
    )
    async for review in pages:
        if marker in (review.body or ""):
            return True
    return False


@dataclass
class Posted:
    review_comments: int
    fallback: bool
    fix_pr_url: str | None = None


async def post_fix(
    gh: GitHub[Any],
    repository: str,
    number: int,
    head_sha: str,
    diff: str,
    outcome: Any,
    url: str,
    patches: dict[str, str | None],
    fix_pr_from: CheckoutFiles | None = None,
) -> Posted:
    """The review with suggestion blocks, plus a diff comment for changes outside the PR's diff.

    `fix_pr_from` (the touched files at the head, given when the repo config sets
    open_fix_pr) also puts the fix on a branch with a PR into the PR's branch, linked from
    the diff comment.
    """
    owner, name = split_repo(repository)
    placement = place_suggestions(diff, patches)
    review_posted = False
    if placement.suggestions:
        marker = comments.review_marker(head_sha)
        if await _has_review(gh, repository, number, marker):
            log.info(
                "review for %s#%s at %s exists; not posting another",
                repository,
                number,
                head_sha[:7],
            )
            review_posted = True
        else:
            data: Any = {
                "commit_id": head_sha,
                "event": "COMMENT",
                "body": comments.review_body(
                    outcome, url, head_sha, len(placement.suggestions), len(placement.outside)
                ),
                "comments": [s.comment() for s in placement.suggestions],
            }
            try:
                await gh.rest.pulls.async_create_review(owner, name, number, data=data)
                review_posted = True
            except RequestFailed as exc:
                if exc.response.status_code != 422:
                    raise
                # GitHub moved the lines under us (a push raced the job): fall back to the diff.
                log.warning(
                    "review refused with 422 on %s#%s; posting the diff instead", repository, number
                )
    needs_fallback = bool(placement.outside) or not review_posted
    fix_pr = None
    if needs_fallback:
        if fix_pr_from is not None:
            fix_pr = await open_fix_pr(gh, repository, number, head_sha, outcome, url, fix_pr_from)
        await upsert_comment(
            gh,
            repository,
            number,
            comments.fallback_marker(head_sha),
            comments.fallback_comment(diff, url, head_sha, fix_pr.note if fix_pr else None),
        )
    return Posted(
        len(placement.suggestions) if review_posted else 0,
        needs_fallback,
        fix_pr.url if fix_pr else None,
    )


def describe_posted(posted: Posted) -> Sequence[str]:
    parts = []
    if posted.review_comments:
        parts.append(f"{posted.review_comments} suggestion(s) in a review")
    if posted.fallback:
        parts.append("the full diff in a comment (changes outside this PR's diff)")
    if posted.fix_pr_url:
        parts.append(f"a pull request with the fix into this branch: {posted.fix_pr_url}")
    return parts

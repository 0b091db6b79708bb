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

from bot.constants import CHECK_RUN_NAME
from bot.fix.types import FixOutcome
from bot.github import comments, lists
from bot.github.annotations import annotate
from bot.github.client import split_repo
from bot.github.fix_pr import CheckoutFiles, open_fix_pr
from bot.github.suggestions import place_suggestions
from bot.github.writes import post_review, upsert_comment

log = logging.getLogger(__name__)

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
        existing = await lists.check_runs(
            self.gh, self.repository, self.head_sha, check_name=CHECK_RUN_NAME, filter_="all"
        )
        for run in existing:
            if run.external_id == self.external_id:
                self.check_run_id = int(run.id)
                return self.check_run_id
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
                "name": CHECK_RUN_NAME,
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

    async def annotate(self, notes: list[dict[str, Any]], output: dict[str, str]) -> int:
        """Annotations on the fix's lines, sent 50 a request; returns the requests made."""
        if self.check_run_id is None or not notes:
            return 0
        return await annotate(self.gh, self.repository, self.check_run_id, notes, output)

    async def finish(
        self,
        conclusion: str,
        output: dict[str, str],
        actions: Sequence[dict[str, str]] = (),
    ) -> None:
        """Complete the run; `actions` are its buttons (requested_action events)."""
        if self.check_run_id is None:
            return
        owner, name = split_repo(self.repository)
        data: Any = {"status": "completed", "conclusion": conclusion, "output": output}
        if actions:
            data["actions"] = list(actions)
        if self.details_url:
            data["details_url"] = self.details_url
        await self.gh.rest.checks.async_update(owner, name, self.check_run_id, data=data)


async def upsert_status(gh: GitHub[Any], repository: str, number: int, body: str) -> int:
    return await upsert_comment(gh, repository, number, comments.STATUS_MARKER, body)


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
    outcome: FixOutcome,
    url: str,
    patches: dict[str, str | None],
    fix_pr_from: CheckoutFiles | None = None,
) -> Posted:
    """The review with suggestion blocks, plus a diff comment for changes outside the PR's diff.

    `fix_pr_from` (the touched files at the head, given when the repo config sets
    open_fix_pr) also puts the fix on a branch with a PR into the PR's branch, linked from
    the diff comment.
    """
    placement = place_suggestions(diff, patches)
    outside = len(placement.outside)
    review = await post_review(
        gh,
        repository,
        number,
        head_sha,
        comments.review_marker(head_sha),
        placement.suggestions,
        lambda count: comments.review_body(
            outcome, url, head_sha, count, outside + len(placement.suggestions) - count
        ),
        diff,
    )
    needs_fallback = bool(placement.outside) or not review.posted
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
            url,
        )
    return Posted(
        len(review.posted),
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

"""Comments and reviews written at most once, even when GitHub's answer to the write is lost.

Each write carries a hidden marker. Before creating, we look for the marker; when the create
fails with a 5xx or a dropped connection (which githubkit does not resend for a POST), we look
again: if the write happened we use it, otherwise we make it once more. A review GitHub refuses
with 422 (a comment no longer on the diff, e.g. after a push) is posted again without the
comments that left the diff; those go to the fallback comment, the others are never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from githubkit import GitHub
from githubkit.exception import RequestError, RequestFailed

from bot.github import lists
from bot.github.client import split_repo
from bot.github.limits import COMMENT_BYTES, clip
from bot.github.suggestions import Suggestion, place_suggestions

log = logging.getLogger(__name__)
T = TypeVar("T")


def _answer_lost(exc: Exception) -> bool:
    """A 5xx or a dropped connection: the write may or may not have happened."""
    if isinstance(exc, RequestFailed):
        return exc.response.status_code >= 500
    return isinstance(exc, RequestError)


async def _create_once(
    create: Callable[[], Awaitable[T]], find: Callable[[], Awaitable[int | None]], what: str
) -> int | T:
    try:
        return await create()
    except (RequestFailed, RequestError) as exc:
        if not _answer_lost(exc):
            raise
        found = await find()
        if found is not None:
            log.info("%s was made although GitHub's answer was lost; not making it again", what)
            return found
        log.warning("%s failed (%s); making it once more", what, type(exc).__name__)
        return await create()


async def find_comment(gh: GitHub[Any], repository: str, number: int, marker: str) -> int | None:
    owner, name = split_repo(repository)
    pages: Any = gh.rest.paginate(
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
    gh: GitHub[Any],
    repository: str,
    number: int,
    marker: str,
    body: str,
    full_text_url: str | None = None,
) -> int:
    """Edit the comment carrying `marker`, or create it: one per PR, never a second."""
    owner, name = split_repo(repository)
    body = clip(body, COMMENT_BYTES, full_text_url)
    existing = await find_comment(gh, repository, number, marker)
    if existing is not None:
        await gh.rest.issues.async_update_comment(owner, name, existing, data={"body": body})
        return existing

    async def create() -> int:
        made = await gh.rest.issues.async_create_comment(owner, name, number, data={"body": body})
        return int(made.parsed_data.id)

    async def find() -> int | None:
        return await find_comment(gh, repository, number, marker)

    return int(await _create_once(create, find, f"comment {marker!r} on {repository}#{number}"))


async def find_review(gh: GitHub[Any], repository: str, number: int, marker: str) -> int | None:
    owner, name = split_repo(repository)
    pages: Any = gh.rest.paginate(
        gh.rest.pulls.async_list_reviews, owner=owner, repo=name, pull_number=number, per_page=100
    )
    async for review in pages:
        if marker in (review.body or ""):
            return int(review.id)
    return None


@dataclass
class ReviewResult:
    posted: list[Suggestion] = field(default_factory=list)
    refused: list[Suggestion] = field(default_factory=list)  # for the fallback comment


async def post_review(
    gh: GitHub[Any],
    repository: str,
    number: int,
    head_sha: str,
    marker: str,
    suggestions: list[Suggestion],
    body_for: Callable[[int], str],
    fix_diff: str,
) -> ReviewResult:
    """One review with `suggestions`; `body_for(count)` is its text (it carries `marker`)."""
    if not suggestions:
        return ReviewResult()
    if await find_review(gh, repository, number, marker) is not None:
        log.info("review for %s#%s at %s exists", repository, number, head_sha[:7])
        return ReviewResult(posted=list(suggestions))
    owner, name = split_repo(repository)
    chosen: list[Suggestion] = list(suggestions)
    refused: list[Suggestion] = []

    async def create() -> int:
        data: Any = {
            "commit_id": head_sha,
            "event": "COMMENT",
            "body": clip(body_for(len(chosen)), COMMENT_BYTES),
            "comments": [s.comment() for s in chosen],
        }
        made = await gh.rest.pulls.async_create_review(owner, name, number, data=data)
        return int(made.parsed_data.id)

    async def find() -> int | None:
        return await find_review(gh, repository, number, marker)

    for attempt in (1, 2):
        try:
            await _create_once(create, find, f"review on {repository}#{number}")
            return ReviewResult(chosen, refused)
        except RequestFailed as exc:
            if exc.response.status_code != 422:
                raise
            if attempt == 2:
                return ReviewResult([], chosen + refused)  # the fallback comment carries all
        # GitHub refused a comment: read the PR's diff as it is now and keep what still fits.
        files = await lists.pull_files(gh, repository, number)
        patches = {f.filename: f.patch if isinstance(f.patch, str) else None for f in files}
        still = place_suggestions(fix_diff, patches).suggestions
        refused += [s for s in chosen if s not in still]
        chosen = [s for s in chosen if s in still]
        log.warning(
            "review on %s#%s refused (422): %d comment(s) left the diff, posting %d again",
            repository,
            number,
            len(refused),
            len(chosen),
        )
        if not chosen:
            return ReviewResult([], refused)
    return ReviewResult([], chosen + refused)

"""Find the PR a failing commit belongs to, forks included, and re-read its head before posting.

GitHub sends `pull_requests: []` in check_run, check_suite and workflow_run payloads for PRs
from forks, so the worker (never the ingress) asks the API: first the PRs associated with the
commit, then the open PRs whose head is the branch, then any open PR at that SHA.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from githubkit import GitHub
from githubkit.exception import RequestFailed

from bot.github import lists
from bot.github.client import split_repo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullRef:
    """An open PR as the worker needs it: where its head lives and where its config comes from."""

    number: int
    head_sha: str
    head_ref: str
    head_repository: str | None  # None when the fork was deleted
    base_ref: str
    repository: str
    labels: tuple[str, ...] = ()

    @property
    def from_fork(self) -> bool:
        return self.head_repository != self.repository

    @property
    def config_ref(self) -> str:
        """Where `.github/truth.yml` is read: a fork's PR never configures its own run."""
        return self.base_ref if self.from_fork else self.head_sha


def pull_ref(repository: str, pull: Any) -> PullRef:
    head_repo = pull.head.repo.full_name if pull.head.repo else None
    labels = tuple(label.name for label in (pull.labels or []) if getattr(label, "name", None))
    return PullRef(
        number=pull.number,
        head_sha=pull.head.sha,
        head_ref=pull.head.ref,
        head_repository=head_repo,
        base_ref=pull.base.ref,
        repository=repository,
        labels=labels,
    )


async def resolve_pull(
    gh: GitHub[Any],
    repository: str,
    head_sha: str,
    *,
    head_branch: str | None = None,
    head_repository: str | None = None,
) -> PullRef | None:
    """The open PR of `repository` whose head is `head_sha`, or None (a push without a PR)."""
    owner, name = split_repo(repository)
    associated = (
        await gh.rest.repos.async_list_pull_requests_associated_with_commit(
            owner, name, head_sha, per_page=100
        )
    ).parsed_data
    for pull in associated:
        if pull.state == "open" and pull.head.sha == head_sha:
            return await _full(gh, repository, pull.number)
    candidates = []
    if head_branch:
        head_owner = split_repo(head_repository)[0] if head_repository else None
        owners = [head_owner] if head_owner else []
        for who in owners or [owner]:
            candidates = await lists.open_pulls(gh, repository, head=f"{who}:{head_branch}")
            if candidates:
                break
    if not candidates:
        # A fork's owner is not in a check_run payload: look through the open PRs.
        candidates = await lists.open_pulls(gh, repository)
    for pull in candidates:
        if pull.head.sha == head_sha:
            return await _full(gh, repository, pull.number)
    return None


async def _full(gh: GitHub[Any], repository: str, number: int) -> PullRef:
    owner, name = split_repo(repository)
    return pull_ref(repository, (await gh.rest.pulls.async_get(owner, name, number)).parsed_data)


async def current_head(gh: GitHub[Any], repository: str, number: int) -> str | None:
    """The PR's head SHA now, or None when the PR is gone or closed."""
    owner, name = split_repo(repository)
    try:
        pull = (await gh.rest.pulls.async_get(owner, name, number)).parsed_data
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return None
        raise
    return pull.head.sha if pull.state == "open" else None


async def head_moved(gh: GitHub[Any], repository: str, number: int, head_sha: str) -> str | None:
    """The new head when the PR moved past `head_sha` (post nothing on the old commit)."""
    now = await current_head(gh, repository, number)
    if now == head_sha:
        return None
    log.info("%s#%s moved from %s to %s", repository, number, head_sha[:7], (now or "closed")[:7])
    return now or "closed"

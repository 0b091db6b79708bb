"""Every list GitHub pages, read to the end by following `Link` headers, 100 items a request."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.client import split_repo

PER_PAGE = 100


async def _collect(gh: GitHub[Any], request: Any, map_func: Any = None, **kwargs: Any) -> list[Any]:
    pages: Any = gh.rest.paginate(request, map_func=map_func, per_page=PER_PAGE, **kwargs)
    return [item async for item in pages]


async def check_runs(
    gh: GitHub[Any],
    repository: str,
    ref: str,
    *,
    check_name: str | None = None,
    status: str | None = None,
    filter_: str = "latest",
) -> list[Any]:
    """Check runs on a commit; `filter_="all"` keeps the runs a re-run replaced (ours: all)."""
    owner, name = split_repo(repository)
    extra: dict[str, Any] = {"filter_": filter_}
    if check_name is not None:
        extra["check_name"] = check_name
    if status is not None:
        extra["status"] = status
    return await _collect(
        gh,
        gh.rest.checks.async_list_for_ref,
        lambda response: response.parsed_data.check_runs,
        owner=owner,
        repo=name,
        ref=ref,
        **extra,
    )


async def workflow_jobs(gh: GitHub[Any], repository: str, run_id: int) -> list[Any]:
    """The jobs of a workflow run's latest attempt (a re-run's jobs replace the earlier ones)."""
    owner, name = split_repo(repository)
    return await _collect(
        gh,
        gh.rest.actions.async_list_jobs_for_workflow_run,
        lambda response: response.parsed_data.jobs,
        owner=owner,
        repo=name,
        run_id=run_id,
        filter_="latest",
    )


async def check_annotations(gh: GitHub[Any], repository: str, check_run_id: int) -> list[Any]:
    owner, name = split_repo(repository)
    return await _collect(
        gh,
        gh.rest.checks.async_list_annotations,
        owner=owner,
        repo=name,
        check_run_id=check_run_id,
    )


async def pull_files(gh: GitHub[Any], repository: str, pull_number: int) -> list[Any]:
    owner, name = split_repo(repository)
    return await _collect(
        gh, gh.rest.pulls.async_list_files, owner=owner, repo=name, pull_number=pull_number
    )


async def pull_commits(gh: GitHub[Any], repository: str, pull_number: int) -> list[Any]:
    owner, name = split_repo(repository)
    return await _collect(
        gh, gh.rest.pulls.async_list_commits, owner=owner, repo=name, pull_number=pull_number
    )


async def open_pulls(gh: GitHub[Any], repository: str, *, head: str | None = None) -> list[Any]:
    """Open PRs, optionally only those whose head is `head` ("owner:branch")."""
    owner, name = split_repo(repository)
    extra = {"head": head} if head else {}
    return await _collect(
        gh, gh.rest.pulls.async_list, owner=owner, repo=name, state="open", **extra
    )

"""Resolving the PR of a failing commit (forks send `pull_requests: []`) and noticing pushes."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.pulls import head_moved, resolve_pull
from tests.fixtures.github import FakeGitHub

API = "https://api.github.com"
REPO = "acme/widgets"
FORK = "forker/widgets"
HEAD = "f" * 40


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url=API, auto_retry=False)


async def test_a_fork_pr_is_found_from_its_head_branch(fake_github: FakeGitHub) -> None:
    fake_github.add_pull(REPO, 3, head_sha="1" * 40, head_ref="patch-1")  # same name, other repo
    fake_github.add_pull(REPO, 9, head_sha=HEAD, head_ref="patch-1", head_repo=FORK)
    found = await resolve_pull(client(), REPO, HEAD, head_branch="patch-1", head_repository=FORK)
    assert found is not None and found.number == 9
    assert found.from_fork and found.head_repository == FORK
    assert found.config_ref == "main"  # the base branch, never the fork's head


async def test_a_fork_pr_is_found_without_its_owner_as_check_run_payloads_give(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(REPO, 9, head_sha=HEAD, head_ref="patch-1", head_repo=FORK)
    found = await resolve_pull(client(), REPO, HEAD, head_branch="patch-1")
    assert found is not None and found.number == 9


async def test_a_branch_pr_uses_the_commit_lookup_and_its_own_config(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(REPO, 4, head_sha=HEAD)
    found = await resolve_pull(client(), REPO, HEAD)
    assert found is not None and not found.from_fork and found.config_ref == HEAD
    assert not fake_github.calls("pulls/list")


async def test_a_push_without_a_pr_resolves_to_nothing(fake_github: FakeGitHub) -> None:
    assert await resolve_pull(client(), REPO, HEAD, head_branch="main") is None


async def test_a_moved_head_is_noticed(fake_github: FakeGitHub) -> None:
    fake_github.add_pull(REPO, 4, head_sha=HEAD)
    assert await head_moved(client(), REPO, 4, HEAD) is None
    fake_github.move_head(REPO, 4, "2" * 40)
    assert await head_moved(client(), REPO, 4, HEAD) == "2" * 40

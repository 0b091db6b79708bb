"""Retries as GitHub documents them, decided against the fake GitHub's real answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from githubkit import GitHub
from githubkit.exception import GitHubException, RequestFailed

from bot.github.retry import GitHubRetry, explain
from tests.fixtures.github import FakeGitHub

API = "https://api.github.com"
REPO = "Codertocat/Hello-World"


def refused(fake: FakeGitHub, call: str = "get") -> GitHubException:
    """The exception githubkit raises for the fake's next answer to a PR read or a ref write."""
    gh: GitHub[Any] = GitHub("ghs_test", base_url=API, auto_retry=False)
    fake.add_pull(REPO, 1, head_sha="a" * 40)
    with pytest.raises(GitHubException) as caught:
        if call == "get":
            gh.rest.pulls.get("Codertocat", "Hello-World", 1)
        else:
            gh.rest.git.create_ref(
                "Codertocat", "Hello-World", data={"ref": "refs/heads/x", "sha": "a" * 40}
            )
    return caught.value


def test_secondary_limit_without_header_waits_a_minute_then_longer(
    fake_github: FakeGitHub,
) -> None:
    fake_github.rate_limit_next("GET", r"/pulls/1$")
    exc = refused(fake_github)
    policy = GitHubRetry()
    assert policy(exc, 0).retry_after == timedelta(seconds=60)
    assert policy(exc, 1).retry_after == timedelta(seconds=120)
    assert policy(exc, 2).retry_after == timedelta(seconds=240)
    assert policy(exc, 4).do_retry is False  # MAX_RETRIES


def test_retry_after_and_the_primary_reset_are_honoured(fake_github: FakeGitHub) -> None:
    fake_github.rate_limit_next("GET", r"/pulls/1$", retry_after=7)
    assert GitHubRetry()(refused(fake_github), 0).retry_after == timedelta(seconds=7)
    fake_github.rate_limit_next("GET", r"/pulls/1$", secondary=False, reset_in=120)
    wait = GitHubRetry()(refused(fake_github), 0).retry_after
    assert wait is not None and 100 <= wait.total_seconds() <= 120


def test_a_reset_an_hour_away_is_explained_not_slept_through(fake_github: FakeGitHub) -> None:
    fake_github.rate_limit_next("GET", r"/pulls/1$", secondary=False, reset_in=3600)
    exc = refused(fake_github)
    assert GitHubRetry()(exc, 0).do_retry is False
    assert "rate limit" in explain(exc)


def test_a_missing_permission_is_explained_and_never_retried(fake_github: FakeGitHub) -> None:
    fake_github.refuse("POST", r"/git/refs$")
    exc = refused(fake_github, call="write")
    assert GitHubRetry()(exc, 0).do_retry is False
    assert "Contents: write" in explain(exc) and "not accessible" in explain(exc)


def test_server_errors_are_retried_for_reads_but_not_for_posts(fake_github: FakeGitHub) -> None:
    fake_github.fail_next("GET", r"/pulls/1$", 502)
    assert GitHubRetry()(refused(fake_github), 0).retry_after == timedelta(seconds=1)
    fake_github.fail_next("POST", r"/git/refs$", 502)
    exc = refused(fake_github, call="write")
    assert isinstance(exc, RequestFailed) and exc.response.status_code == 502
    assert GitHubRetry()(exc, 0).do_retry is False


async def test_the_client_waits_and_succeeds_after_a_headerless_secondary_limit(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(REPO, 2, head_sha="b" * 40)
    fake_github.rate_limit_next("GET", r"/pulls/2$")
    # The same policy with a short minimum, so the test does not sleep a real minute.
    policy = GitHubRetry(secondary_minimum=timedelta(milliseconds=20))
    gh: GitHub[Any] = GitHub("ghs_test", base_url=API, auto_retry=policy)
    pull = (await gh.rest.pulls.async_get("Codertocat", "Hello-World", 2)).parsed_data
    assert pull.head.sha == "b" * 40
    assert [r.status for r in fake_github.calls("pulls/get")] == [403, 200]

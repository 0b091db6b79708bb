"""Trace snapshots on push fetch only what changed, with a bounded number of API calls."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.traces.pr_history import MemoryCache, fetch_history
from tests.fixtures.github import FakeGitHub
from tests.fixtures.github.history import add_pr_commit

REPO = "acme/widgets"
PR = 12


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


def push(fake: FakeGitHub, index: int) -> str:
    sha = f"{index:040x}"
    add_pr_commit(
        fake,
        REPO,
        PR,
        sha=sha,
        message=f"step {index}",
        date=f"2026-11-20T10:{index // 60:02d}:{index % 60:02d}Z",
        files=[
            {
                "filename": f"src/m{index}.py",
                "status": "added",
                "patch": "@@ -0,0 +1 @@\n+x",
                "content": f"x = {index}\n",
            }
        ],
    )
    fake.add_check_run(REPO, head_sha=sha, name="tests", conclusion="success")
    fake.move_head(REPO, PR, sha)
    return sha


async def test_a_push_to_a_50_commit_pr_costs_a_handful_of_calls(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(REPO, PR, head_sha="0" * 40)
    for index in range(1, 51):
        push(fake_github, index)
    cache = MemoryCache()
    first = await fetch_history(client(), REPO, PR, cache)
    assert len(first.details) == 50 and len(first.after) == 50
    # pull + 1 commits page + 50 commits + 50 check lists + 50 annotation lists + reviews
    # + 50 blobs: every object once.
    assert first.calls == 1 + 1 + 50 + 50 + 50 + 1 + 50

    push(fake_github, 51)
    before = len(fake_github.requests)
    second = await fetch_history(client(), REPO, PR, cache)
    assert len(second.details) == 51
    # pull, commits page, the new commit, its checks + annotations, the previous head's
    # checks (re-read: its CI may still report), review comments, the new blob.
    assert second.calls == 8 == len(fake_github.requests) - before
    unchanged = [r for r in fake_github.requests[before:] if r.status == 304]
    assert {r.operation_id for r in unchanged} >= {"pulls/list-review-comments"}

    third = await fetch_history(client(), REPO, PR, cache)
    assert third.calls <= 5  # nothing new: lists answer 304, nothing else is asked
    assert third.details == second.details

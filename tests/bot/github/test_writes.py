"""Writes survive GitHub's failures without duplicating or losing anything."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.suggestions import place_suggestions
from bot.github.writes import post_review, upsert_comment
from tests.fixtures.github import FakeGitHub

REPO = "acme/geo"
HEAD = "a" * 40
MARKER = "<!-- truth-engine:review aaaa -->"
# The PR changed lines 2 and 21 of geo.py; the fix changes both.
PR_PATCH = "@@ -1,3 +1,3 @@\n def area(w, h):\n-    return w\n+    return w * w\n \n" + (
    "@@ -20,2 +20,2 @@\n a\n-b\n+c\n"
)
FIX = (
    "--- a/geo.py\n+++ b/geo.py\n@@ -2,1 +2,1 @@\n-    return w * w\n+    return w * h\n"
    "@@ -21,1 +21,1 @@\n-c\n+d\n"
)


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


async def test_a_502_after_the_comment_was_made_does_not_double_it(
    fake_github: FakeGitHub,
) -> None:
    fake_github.fail_after_write("POST", r"/issues/\d+/comments$")
    made = await upsert_comment(client(), REPO, 5, "<!-- m -->", "<!-- m -->\nhello")
    assert [c["body"] for c in fake_github.comments] == ["<!-- m -->\nhello"]
    assert made == fake_github.comments[0]["id"]


async def test_a_502_before_the_comment_was_made_makes_it_once(fake_github: FakeGitHub) -> None:
    fake_github.fail_next("POST", r"/issues/\d+/comments$", 502)
    await upsert_comment(client(), REPO, 5, "<!-- m -->", "<!-- m -->\nhello")
    assert len(fake_github.comments) == 1


async def test_an_oversized_comment_is_clipped_with_the_link(fake_github: FakeGitHub) -> None:
    body = "<!-- m -->\n" + "é" * 40_000
    await upsert_comment(client(), REPO, 5, "<!-- m -->", body, "https://truth.example/s/1")
    [comment] = fake_github.comments
    assert (
        len(comment["body"].encode()) <= 65_536 and "https://truth.example/s/1" in comment["body"]
    )


async def test_a_review_refused_for_one_comment_is_posted_without_it(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(REPO, 5, head_sha=HEAD, files=[{"filename": "geo.py", "patch": PR_PATCH}])
    placed = place_suggestions(FIX, {"geo.py": PR_PATCH}).suggestions
    assert len(placed) == 2
    # A push changed the PR's diff after we read it: line 21 is no longer part of it.
    fake_github.pull_files[(REPO, 5)][0]["patch"] = PR_PATCH.split("@@ -20")[0]
    result = await post_review(
        client(), REPO, 5, HEAD, MARKER, placed, lambda n: f"{MARKER}\n{n} suggestion(s)", FIX
    )
    assert [s.line for s in result.posted] == [2] and [s.line for s in result.refused] == [21]
    [review] = fake_github.reviews
    assert [c["line"] for c in review["comments"]] == [2]
    assert len(fake_github.unprocessable) == 1  # the one refusal, as GitHub answers it


async def test_a_review_whose_answer_was_lost_is_not_posted_twice(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(REPO, 5, head_sha=HEAD, files=[{"filename": "geo.py", "patch": PR_PATCH}])
    placed = place_suggestions(FIX, {"geo.py": PR_PATCH}).suggestions
    fake_github.fail_after_write("POST", r"/pulls/\d+/reviews$")
    result = await post_review(
        client(), REPO, 5, HEAD, MARKER, placed, lambda n: f"{MARKER}\n{n}", FIX
    )
    assert len(result.posted) == 2 and len(fake_github.reviews) == 1

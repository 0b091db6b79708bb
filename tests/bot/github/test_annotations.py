"""The fix's lines become check-run annotations, at most 50 in one request as GitHub allows."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.annotations import annotate, fix_annotations
from bot.github.suggestions import changes
from tests.fixtures.github import FakeGitHub

REPO = "acme/widgets"


async def test_a_fix_touching_120_places_is_annotated_in_three_requests(
    fake_github: FakeGitHub,
) -> None:
    hunks = "".join(f"@@ -{i * 10},1 +{i * 10},1 @@\n-old {i}\n+new {i}\n" for i in range(1, 121))
    fix = f"--- a/big.py\n+++ b/big.py\n{hunks}"
    notes = fix_annotations(changes(fix), "https://truth.example/sessions/s1")
    assert len(notes) == 120 and notes[0]["start_line"] == 10 and "new 1" in notes[0]["message"]
    gh: GitHub[Any] = GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)
    run = gh.rest.checks.create(
        "acme", "widgets", data={"name": "Truth Engine", "head_sha": "a" * 40}
    ).parsed_data
    sent = await annotate(gh, REPO, run.id, notes, {"title": "Verified fix", "summary": "s"})
    assert sent == 3
    assert [len(u["output"]["annotations"]) for u in fake_github.check_run_updates] == [50, 50, 20]
    assert len(fake_github.annotations[run.id]) == 120

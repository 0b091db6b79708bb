"""The "Apply fix" button commits the verified fix to the PR's branch, or says why it cannot."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.apply_fix import apply_fix
from bot.github.fix_pr import CheckoutFiles
from bot.github.pulls import PullRef
from tests.fixtures.github import FakeGitHub

REPO = "acme/geo"
HEAD = "a" * 40
FIX = (
    "--- a/geo.py\n+++ b/geo.py\n@@ -1,2 +1,2 @@\n def area(w, h):\n"
    "-    return w * w\n+    return w * h\n"
)
BEFORE = CheckoutFiles({"geo.py": "def area(w, h):\n    return w * w\n"})


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


def pull(fake: FakeGitHub, head_repo: str | None = None) -> PullRef:
    fake.add_pull(REPO, 4, head_sha=HEAD, head_ref="feature", head_repo=head_repo)
    fake.set_tarball(REPO, HEAD, dict(BEFORE.texts))
    return PullRef(4, HEAD, "feature", head_repo or REPO, "main", REPO)


async def test_the_fix_lands_as_one_commit_on_the_branch(fake_github: FakeGitHub) -> None:
    applied = await apply_fix(client(), pull(fake_github), FIX, BEFORE, "Fix area")
    assert applied.commit_sha is not None and "Applied" in applied.message
    assert fake_github.branch_files(REPO, "feature")["geo.py"].endswith("return w * h\n")
    assert fake_github.git_commits[applied.commit_sha]["parents"] == [HEAD]


async def test_a_fork_or_a_missing_permission_is_explained(fake_github: FakeGitHub) -> None:
    forked = await apply_fix(client(), pull(fake_github, "forker/geo"), FIX, BEFORE, "m")
    assert forked.commit_sha is None and "cannot push to forks" in forked.message
    fake_github.contents_permission = "read"
    refused = await apply_fix(client(), pull(fake_github), FIX, BEFORE, "m")
    assert refused.commit_sha is None and "Contents: write" in refused.message
    assert fake_github.refs_updated == []


async def test_a_branch_that_moved_is_not_overwritten(fake_github: FakeGitHub) -> None:
    ref = pull(fake_github)
    fake_github.set_tarball(REPO, "b" * 40, dict(BEFORE.texts))
    fake_github.commit_for(REPO, "b" * 40)
    fake_github.move_head(REPO, 4, "b" * 40)
    moved = await apply_fix(client(), ref, FIX, BEFORE, "m")
    assert moved.commit_sha is None and "moved since the fix was verified" in moved.message
    assert fake_github.git_refs[(REPO, "refs/heads/feature")] == "b" * 40

"""open_fix_pr against the fake GitHub: fix branch, commit and PR, reuse on retry, forks, 403."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from githubkit import GitHub
from githubkit.exception import RequestError

from bot.fix.types import CandidateResult, FixOutcome, FixStatus
from bot.github import comments
from bot.github.fix_pr import (
    EXECUTABLE_MODE,
    FILE_MODE,
    CheckoutFiles,
    TreeChange,
    branch_name,
    fix_changes,
    read_checkout,
)
from bot.github.gather import extract_tarball
from bot.github.report import Posted, describe_posted, post_fix
from bot.repair.diffs import make_diff
from runner.results import RunEnd, RunResult, Verdict, Verification
from tests.fixtures.github import FakeGitHub

REPO = "acme/series"
PR = 7
HEAD = "3c1f0e8a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e"
SESSION = "s-20261120-0042"
URL = f"https://truth.example/sessions/{SESSION}"
BRANCH = f"truth-engine/fix-{SESSION}"
GRANT = "grant Contents: write to the app, or set open_fix_pr: false"

BUGGY = (
    '"""Differences between consecutive readings."""\n'
    "\n"
    "\n"
    "def differences(values):\n"
    '    """The change between each reading and the next one."""\n'
    "    steps = []\n"
    "    for i in range(len(values)):\n"
    "        steps.append(values[i + 1] - values[i])\n"
    "    return steps\n"
    "\n"
    "\n"
    "def largest_jump(values):\n"
    '    """The biggest absolute change between two consecutive readings."""\n'
    "    return max((abs(step) for step in differences(values)), default=0)\n"
)
FIXED = BUGGY.replace("range(len(values))", "range(len(values) - 1)")
HEAD_FILES: dict[str, str | bytes] = {
    "series/differences.py": BUGGY,
    "tests/test_differences.py": "from series.differences import differences\n",
    "README.md": "# series\n",
}
# The PR only touched largest_jump's docstring (line 13); the bug on line 7 lies outside it.
PATCH_ELSEWHERE = (
    "@@ -11,4 +11,4 @@\n"
    " \n"
    " def largest_jump(values):\n"
    '-    """The biggest change between two consecutive readings."""\n'
    '+    """The biggest absolute change between two consecutive readings."""\n'
    "     return max((abs(step) for step in differences(values)), default=0)\n"
)
FIX_DIFF = make_diff("series/differences.py", BUGGY, FIXED)


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


def run(command: str, exit_code: int) -> RunResult:
    return RunResult(
        command=command,
        image_id="sha256:0123456789abcdef0123",
        end=RunEnd.EXITED,
        exit_code=exit_code,
        started_at="2026-11-20T10:00:00Z",
        finished_at="2026-11-20T10:00:01Z",
        duration_ms=812.0,
        stdout="",
        stderr="",
    )


def verified_outcome() -> FixOutcome:
    baseline = run("pytest -q", 1)
    winner = CandidateResult(
        id="c2",
        engine="rules",
        description="Stop the loop one step early so values[i + 1] stays in range.",
        diff=FIX_DIFF,
        status="verified",
        reason="the failing tests pass",
        duration_ms=900.0,
        changed_lines=2,
        verification=Verification(
            verdict=Verdict.VERIFIED,
            reason="the failing tests pass",
            baseline=baseline,
            patched=run("pytest -q", 0),
            fixed_tests=["tests/test_differences.py::test_differences_of_a_rising_series"],
        ),
    )
    return FixOutcome(
        status=FixStatus.VERIFIED,
        session_id=SESSION,
        message="Verified fix found.",
        baseline=baseline,
        candidates=[winner],
        winner=winner,
    )


@pytest.fixture
def checkout(fake_github: FakeGitHub, tmp_path: Path) -> CheckoutFiles:
    """The PR at HEAD on the fake GitHub, and the touched files from its extracted tarball."""
    fake_github.add_pull(
        REPO,
        PR,
        head_sha=HEAD,
        head_ref="feature",
        files=[{"filename": "series/differences.py", "patch": PATCH_ELSEWHERE}],
    )
    fake_github.set_tarball(REPO, HEAD, HEAD_FILES)
    root = extract_tarball(fake_github.tarballs[(REPO, HEAD)], tmp_path / "checkout")
    return read_checkout(root, FIX_DIFF)


async def post(checkout: CheckoutFiles | None) -> Posted:
    return await post_fix(
        client(),
        REPO,
        PR,
        HEAD,
        FIX_DIFF,
        verified_outcome(),
        URL,
        {"series/differences.py": PATCH_ELSEWHERE},
        fix_pr_from=checkout,
    )


def fallback_comments(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in fake.comments if comments.fallback_marker(HEAD) in c["body"]]


def writes(fake: FakeGitHub) -> list[str]:
    """Every operation that changed something, other than the PR's comments."""
    return [
        str(r.operation_id)
        for r in fake.requests
        if r.method != "GET" and not str(r.operation_id).startswith("issues/")
    ]


async def test_the_fix_lands_on_a_branch_with_one_commit_and_a_pr_the_comment_links(
    fake_github: FakeGitHub, checkout: CheckoutFiles
) -> None:
    posted = await post(checkout)

    assert fake_github.branch_files(REPO, BRANCH) == {**HEAD_FILES, "series/differences.py": FIXED}
    [ref] = fake_github.refs_created
    commit = fake_github.git_commits[ref["sha"]]
    assert commit["parents"] == [HEAD]
    assert commit["tree"] != fake_github.git_commits[HEAD]["tree"]
    assert "Fix the failing tests of #7" in commit["message"]
    assert "test_differences_of_a_rising_series" in commit["message"]
    assert URL in commit["message"]
    [blob] = fake_github.calls("git/create-blob")
    assert blob.json == {"content": FIXED, "encoding": "utf-8"}
    [tree] = fake_github.calls("git/create-tree")
    assert tree.json["base_tree"] == fake_github.git_commits[HEAD]["tree"]

    [pull] = fake_github.pulls_created
    assert (pull["head"], pull["base"]) == (BRANCH, "feature")
    assert pull["title"] == "Truth Engine: verified fix for #7"
    assert URL in pull["body"] and "| candidate c2 | `pytest -q` | 0 |" in pull["body"]

    [fallback] = fallback_comments(fake_github)
    assert f"pull request into this one: {pull['html_url']}" in fallback["body"]
    assert f"`{BRANCH}`" in fallback["body"]
    assert "```diff\n--- a/series/differences.py" in fallback["body"]
    assert posted == Posted(review_comments=0, fallback=True, fix_pr_url=pull["html_url"])
    assert pull["html_url"] in describe_posted(posted)[-1]
    assert fake_github.unprocessable == []


async def test_a_retry_reuses_the_branch_and_the_pr(
    fake_github: FakeGitHub, checkout: CheckoutFiles
) -> None:
    first = await post(checkout)
    second = await post(checkout)

    assert len(fake_github.refs_created) == 1
    assert len(fake_github.calls("git/create-commit")) == 1
    assert len(fake_github.pulls_created) == 1
    assert first.fix_pr_url == second.fix_pr_url == fake_github.pulls_created[0]["html_url"]
    [fallback] = fallback_comments(fake_github)
    assert str(first.fix_pr_url) in fallback["body"]


async def test_a_job_cut_off_after_the_branch_opens_the_pr_on_retry_without_a_second_commit(
    fake_github: FakeGitHub, checkout: CheckoutFiles
) -> None:
    fake_github.drop_next("POST", r"/pulls$", after="git/create-ref")
    with pytest.raises(RequestError):
        await post(checkout)
    assert len(fake_github.refs_created) == 1 and fake_github.pulls_created == []

    posted = await post(checkout)

    assert len(fake_github.calls("git/create-commit")) == 1
    [pull] = fake_github.pulls_created
    assert posted.fix_pr_url == pull["html_url"]
    assert fake_github.branch_files(REPO, BRANCH)["series/differences.py"] == FIXED


async def test_a_pr_from_a_fork_gets_an_explanation_and_no_writes(
    fake_github: FakeGitHub, checkout: CheckoutFiles
) -> None:
    fake_github.pulls[(REPO, PR)]["head"]["repo"] = {"full_name": "outsider/series", "fork": True}

    posted = await post(checkout)

    assert writes(fake_github) == []
    [fallback] = fallback_comments(fake_github)
    assert "comes from the fork `outsider/series`" in fallback["body"]
    assert "cannot push to a fork" in fallback["body"]
    assert posted.fix_pr_url is None and posted.fallback


async def test_without_contents_write_the_comment_says_what_to_grant(
    fake_github: FakeGitHub, checkout: CheckoutFiles
) -> None:
    fake_github.contents_permission = "read"

    posted = await post(checkout)

    assert fake_github.refs_created == [] and fake_github.pulls_created == []
    assert list(fake_github.git_refs) == [(REPO, "refs/heads/feature")]  # only the PR's
    [fallback] = fallback_comments(fake_github)
    assert GRANT in fallback["body"]
    assert "```diff\n--- a/series/differences.py" in fallback["body"]
    assert posted == Posted(review_comments=0, fallback=True, fix_pr_url=None)


async def test_with_open_fix_pr_off_only_the_diff_comment_is_posted(
    fake_github: FakeGitHub, checkout: CheckoutFiles
) -> None:
    posted = await post(None)

    assert writes(fake_github) == []
    [fallback] = fallback_comments(fake_github)
    assert "pull request" not in fallback["body"]
    assert posted.fix_pr_url is None


def test_fix_changes_keep_the_executable_bit_and_delete_removed_files() -> None:
    before = CheckoutFiles(
        {"bin/run": "#!/bin/sh\necho hi\n", "old.txt": "gone\n"}, frozenset({"bin/run"})
    )
    diff = make_diff("bin/run", "#!/bin/sh\necho hi\n", "#!/bin/sh\necho hello\n") + (
        "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n"
    )

    assert fix_changes(before, diff) == [
        TreeChange("bin/run", EXECUTABLE_MODE, "#!/bin/sh\necho hello\n"),
        TreeChange("old.txt", FILE_MODE, None),
    ]


def test_read_checkout_takes_only_touched_files_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "run").write_text("#!/bin/sh\n")
    os.chmod(root / "bin" / "run", 0o755)
    (root / "other.py").write_text("x = 1\n")
    (tmp_path / "secret").write_text("s3cret\n")
    diff = make_diff("bin/run", "#!/bin/sh\n", "#!/bin/bash\n") + make_diff(
        "../secret", "s3cret\n", "\n"
    )

    files = read_checkout(root, diff)

    assert files == CheckoutFiles({"bin/run": "#!/bin/sh\n"}, frozenset({"bin/run"}))


def test_the_branch_is_named_after_the_session() -> None:
    assert branch_name("abc123") == "truth-engine/fix-abc123"

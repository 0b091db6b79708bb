"""The failing checks of a head commit: check runs and statuses, sorted into test runs."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.failing import triage_head
from tests.fixtures.github import FakeGitHub

REPO = "acme/widgets"
HEAD = "c" * 40
PYTEST_LOG = (
    "============ short test summary info ============\n"
    "FAILED tests/test_a.py::test_one - AssertionError\n"
    "============ 1 failed, 2 passed in 0.12s ============\n"
)


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


async def test_test_checks_are_merged_and_the_rest_skipped_with_names(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_workflow_job(
        REPO, run_id=1, job_id=501, name="tests", conclusion="failure", log=PYTEST_LOG
    )
    actions = fake_github.add_check_run(
        REPO, head_sha=HEAD, name="tests (3.11)", conclusion="failure", app_slug="github-actions"
    )
    fake_github.job_logs[actions["id"]] = PYTEST_LOG
    fake_github.add_check_run(
        REPO,
        head_sha=HEAD,
        name="circle: unit",
        conclusion="failure",
        output={"title": "1 failed", "summary": PYTEST_LOG.replace("test_one", "test_two")},
    )
    fake_github.add_check_run(
        REPO,
        head_sha=HEAD,
        name="ruff",
        conclusion="failure",
        output={"title": "3 errors", "summary": "F401 unused import"},
    )
    fake_github.add_check_run(REPO, head_sha=HEAD, name="Truth Engine", conclusion="neutral")
    fake_github.add_status(
        REPO,
        HEAD,
        context="jenkins/deploy",
        state="failure",
        description="deploy to staging failed",
    )
    fake_github.add_status(
        REPO, HEAD, context="buildkite/tests", state="failure", description="2 tests failed"
    )
    sorted_out, logs = await triage_head(client(), REPO, HEAD, globs=["buildkite/*"])
    assert [v.name for v in sorted_out.tests] == ["tests (3.11)", "circle: unit", "buildkite/tests"]
    assert sorted_out.failing_tests == ["tests/test_a.py::test_one", "tests/test_a.py::test_two"]
    assert [v.name for v in sorted_out.skipped] == ["ruff", "jenkins/deploy"]
    assert "test_one" in logs and "test_two" in logs and "F401" not in logs

"""--run-tests and validation on real sandboxes: red before the fix, green at the head."""

from __future__ import annotations

import pytest

from bot.traces.judge import gather_evidence
from bot.traces.local_source import reconstruct_local
from bot.traces.schema import TestRun
from bot.traces.validate import run_commit_tests


@pytest.mark.docker
@pytest.mark.slow
def test_each_commit_is_tested_in_a_sandbox_and_the_head_validates(
    good_repo, trace_settings, sandbox_image
):
    repo, shas = good_repo
    settings = trace_settings.model_copy(update={"sandbox_image": sandbox_image})
    tests, validation = run_commit_tests(
        repo, shas["base"], shas["more_tests"], "python -m pytest -q", settings
    )
    assert tests[shas["failing_test"]].num_failed == 1
    assert tests[shas["failing_test"]].failed_tests == ["tests/test_core.py::test_median_even"]
    assert tests[shas["wrong_attempt"]].num_failed >= 1
    assert tests[shas["fix"]].num_failed == 0 and tests[shas["fix"]].num_passed == 2
    assert validation.status == "passed" and validation.tests_passed is True
    assert validation.num_passed == 3 and validation.runtime_s and validation.runtime_s > 0

    trace = reconstruct_local(repo, shas["base"], shas["more_tests"], tests=tests)
    runs = [e for e in trace.events if isinstance(e, TestRun)]
    assert [r.num_failed > 0 for r in runs] == [True, True, True, False, False]
    evidence = gather_evidence(trace)
    assert evidence.reproduced_before_fix and evidence.red_to_green == 1


@pytest.mark.docker
@pytest.mark.slow
def test_truth_trace_run_tests_records_sandbox_runs_and_validation(
    good_repo, tmp_path, sandbox_image
):
    import json

    from click.testing import CliRunner

    from bot.cli import cli

    repo, shas = good_repo
    out = tmp_path / "trace.json"
    env = {"TRUTH_STATE_DIR": str(tmp_path / "state"), "TRUTH_SANDBOX_IMAGE": sandbox_image}
    result = CliRunner().invoke(
        cli,
        ["trace", str(repo), "--base", shas["base"], "--head", shas["fix"], "--out", str(out),
         "--run-tests"],
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    runs = [e for e in document["events"] if e["type"] == "test_run"]
    assert [r["num_failed"] > 0 for r in runs] == [True, True, True, False]
    assert all(r["source"] == "sandbox" for r in runs)
    assert document["qa"]["validation"]["tests_passed"] is True
    assert document["repo"]["test_command"] == "python -m pytest -q"


@pytest.mark.docker
@pytest.mark.slow
async def test_pr_head_is_validated_from_githubs_tarball(fake_github, tmp_path, sandbox_image):
    from githubkit import GitHub

    from bot.settings import Settings
    from bot.traces.github_source import capture_pr_trace
    from tests.bot.traces.history import FIXED, MORE_TESTS
    from tests.fixtures.github.history import add_pr_commit

    head = "d" * 40
    fake_github.add_pull("acme/stats", 3, head_sha=head)
    edit = {"filename": "stats/core.py", "status": "modified", "content": FIXED,
            "patch": "@@ -1 +1 @@\n-a\n+b"}  # fmt: skip
    add_pr_commit(fake_github, "acme/stats", 3, sha=head, date="2026-01-05T10:00:00Z",
                  message="Fix median", files=[edit])  # fmt: skip
    tree = {"stats/__init__.py": "", "stats/core.py": FIXED, "tests/test_core.py": MORE_TESTS}
    fake_github.set_tarball("acme/stats", head, tree)
    settings = Settings(state_dir=tmp_path, sandbox_image=sandbox_image)  # type: ignore[call-arg]
    gh = GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)
    trace = await capture_pr_trace(
        gh, settings, None, installation_id=1, repository="acme/stats", pull_number=3,
        publish=False,
    )  # fmt: skip
    assert trace.qa.validation is not None
    assert trace.qa.validation.tests_passed is True and trace.qa.validation.num_passed == 3

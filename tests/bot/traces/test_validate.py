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

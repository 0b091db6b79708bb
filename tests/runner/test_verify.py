"""The verdict rules as a pure function over two runs, and the verify flow on real containers."""

from __future__ import annotations

import uuid
from pathlib import Path

import docker
import pytest

from runner.limits import SandboxLimits
from runner.results import RunEnd, RunResult, TestOutcome, Verdict
from runner.results import TestStatus as Status
from runner.sandbox import LABEL, Sandbox
from runner.snapshot import RepoSnapshot
from runner.verify import decide, verify, verify_many

DATA = Path(__file__).resolve().parent.parent / "data" / "runner"


def run(
    end: RunEnd = RunEnd.EXITED,
    exit_code: int | None = 0,
    reason: str = "",
    hung: str = "",
    **tests: str,
) -> RunResult:
    """A run with per-test evidence, as the supervisor reports it (`a__b` is test id `a::b`)."""
    outcomes = {
        name.replace("__", "::"): TestOutcome(
            name.replace("__", "::"), Status(status), call_passed=status == "passed"
        )
        for name, status in tests.items()
    }
    return RunResult(
        "pytest",
        "sha256:x",
        end,
        exit_code,
        "t0",
        "t1",
        1.0,
        "",
        "",
        tests=outcomes,
        reason=reason,
        sessions=1,
        collected=[*outcomes, *([hung] if hung else [])],
        hung_test=hung,
    )


def test_fixed_target_without_regressions_is_verified() -> None:
    verdict, reason = decide(run(exit_code=1, a="failed", b="passed"), run(a="passed", b="passed"))
    assert verdict is Verdict.VERIFIED
    assert "1 failing test(s) pass" in reason


def test_target_still_failing_is_failed_and_named() -> None:
    verdict, reason = decide(
        run(exit_code=1, a="failed", b="passed"), run(exit_code=1, a="failed", b="passed")
    )
    assert verdict is Verdict.FAILED
    assert "still failing after the patch: a" in reason


def test_a_test_that_passed_before_and_fails_after_is_a_regression() -> None:
    verdict, reason = decide(
        run(exit_code=1, a="failed", b="passed"), run(exit_code=1, a="passed", b="failed")
    )
    assert verdict is Verdict.FAILED
    assert "breaks tests that passed before: b" in reason


def test_a_vanished_passing_test_is_inconsistent_evidence_even_with_exit_zero() -> None:
    verdict, reason = decide(run(exit_code=1, a="failed", b="passed"), run(a="passed"))
    assert verdict is Verdict.ERROR
    assert reason == "inconsistent evidence: tests collected before the patch are gone after it: b"


def test_a_vanished_failing_test_does_not_count_as_fixed() -> None:
    verdict, reason = decide(run(exit_code=1, a="failed", b="passed"), run(b="passed"))
    assert verdict is Verdict.ERROR
    assert "gone after it: a" in reason
    # with test changes knowingly allowed the id check is off, but the target must still pass
    assert decide(run(exit_code=1, a="failed"), run(b="passed"), None, True)[0] is Verdict.FAILED


def test_new_tests_do_not_count() -> None:
    verdict, reason = decide(run(exit_code=1, a="failed"), run(a="passed", extra="passed"))
    assert verdict is Verdict.ERROR
    assert "appear after the patch that were not there before: extra" in reason


def test_a_target_passing_without_its_call_phase_is_not_fixed() -> None:
    patched = run(a="passed")
    patched.tests["a"] = TestOutcome("a", Status.PASSED, call_passed=False)
    assert decide(run(exit_code=1, a="failed"), patched)[0] is Verdict.FAILED


def test_inconsistent_evidence_is_never_verified() -> None:
    patched = run(a="passed")
    patched.evidence_problem = "pytest ended with 1 but the process exited with 0"
    verdict, reason = decide(run(exit_code=1, a="failed"), patched)
    assert verdict is Verdict.ERROR
    assert reason == "inconsistent evidence: pytest ended with 1 but the process exited with 0"


def test_nonzero_exit_after_is_failed_even_when_tests_pass() -> None:
    verdict, reason = decide(run(exit_code=1, a="failed"), run(exit_code=2, a="passed"))
    assert verdict is Verdict.FAILED
    assert "exits with code 2" in reason


def test_green_baseline_is_baseline_passes() -> None:
    verdict, _ = decide(run(a="passed"), run(a="passed"))
    assert verdict is Verdict.BASELINE_PASSES


def test_named_targets_that_already_pass_are_baseline_passes() -> None:
    verdict, reason = decide(
        run(exit_code=1, a="failed", b="passed"), run(a="passed", b="passed"), ["b"]
    )
    assert verdict is Verdict.BASELINE_PASSES
    assert "b" in reason


def test_target_selector_by_file_prefix_expands_to_its_tests() -> None:
    baseline = run(exit_code=1, **{"t.py__x": "failed", "t.py__y": "passed", "u.py__z": "failed"})
    patched = run(exit_code=1, **{"t.py__x": "passed", "t.py__y": "passed", "u.py__z": "failed"})
    assert decide(baseline, patched, ["t.py"])[0] is Verdict.FAILED  # exit code 1 after
    patched_ok = run(**{"t.py__x": "passed", "t.py__y": "passed", "u.py__z": "passed"})
    assert decide(baseline, patched_ok, ["t.py"])[0] is Verdict.VERIFIED


def test_a_run_without_per_test_evidence_is_never_verified_by_its_exit_code() -> None:
    bare = RunResult("make test", "sha256:x", RunEnd.EXITED, 1, "t0", "t1", 1.0, "", "")
    green = RunResult("make test", "sha256:x", RunEnd.EXITED, 0, "t0", "t1", 1.0, "", "")
    verdict, reason = decide(bare, green)
    assert verdict is Verdict.ERROR
    assert reason.startswith("no per-test evidence")
    # a pytest run that fails without any failing test gives nothing to check a fix against
    assert decide(run(exit_code=4), run())[0] is Verdict.ERROR


def test_a_file_that_failed_to_import_is_fixed_only_when_all_its_tests_pass() -> None:
    baseline = run(exit_code=2, ok="passed")
    baseline.collect_errors = {"t.py": "ImportError: cannot import name 'x'"}
    assert baseline.failing_tests() == ["t.py"]
    fixed = run(ok="passed", **{"t.py__a": "passed", "t.py__b": "passed"})
    verdict, reason = decide(baseline, fixed)
    assert verdict is Verdict.VERIFIED, reason
    assert reason.startswith("2 failing test(s) pass")
    half = run(exit_code=1, ok="passed", **{"t.py__a": "passed", "t.py__b": "failed"})
    assert decide(baseline, half)[1] == "still failing after the patch: t.py::b"
    still = run(exit_code=2, ok="passed")
    still.collect_errors = dict(baseline.collect_errors)
    assert decide(baseline, still)[1] == "still failing after the patch: t.py"


@pytest.mark.parametrize(
    ("end", "verdict"),
    [
        (RunEnd.PATCH_FAILED, Verdict.PATCH_FAILED),
        (RunEnd.TIMEOUT, Verdict.TIMEOUT),
        (RunEnd.RESOURCE_LIMIT, Verdict.RESOURCE_LIMIT),
        (RunEnd.ERROR, Verdict.ERROR),
    ],
)
def test_abnormal_patched_runs_keep_their_reason(end: RunEnd, verdict: Verdict) -> None:
    result = decide(run(exit_code=1, a="failed"), run(end, None, reason="why it ended"))
    assert result == (verdict, "why it ended")


def test_baseline_that_could_not_run_is_error() -> None:
    verdict, reason = decide(run(RunEnd.ERROR, None, reason="engine gone"), run(a="passed"))
    assert verdict is Verdict.ERROR
    assert "engine gone" in reason


def test_a_hung_baseline_needs_the_hung_test_seen_passing() -> None:
    hung = run(RunEnd.TIMEOUT, None, reason="stopped in b", hung="b", a="passed")

    verdict, reason = decide(hung, run(a="passed", b="passed"))
    assert verdict is Verdict.VERIFIED and "including b, which hung before" in reason
    assert decide(hung, run(exit_code=1, a="passed", b="failed"))[0] is Verdict.FAILED
    assert decide(hung, run(RunEnd.TIMEOUT, None, hung="b", a="passed"))[0] is Verdict.TIMEOUT
    # the hung test is a target even when the caller names others
    assert decide(hung, run(a="passed", b="passed"), ["a"])[0] is Verdict.VERIFIED
    unknown = run(RunEnd.TIMEOUT, None, reason="killed at the wall-time limit")
    unknown.sessions = 0
    assert decide(unknown, run(a="passed", b="passed"))[0] is Verdict.ERROR


class ExplodingSandbox:
    """Stands in for the runner to prove one crashing candidate leaves the others intact."""

    def run(
        self,
        snapshot: RepoSnapshot,
        command: str | None = None,
        patch: str | None = None,
        frozen: dict[str, bytes | None] | None = None,
    ) -> RunResult:
        if patch == patch_text("fuzz"):
            raise RuntimeError("candidate crashed the runner")
        if patch is None:
            return run(exit_code=1, a="failed")
        return run(a="passed")


def test_one_crashing_candidate_does_not_affect_the_others() -> None:
    snapshot = RepoSnapshot.from_path(DATA / "buggy")
    patches = [patch_text("right"), patch_text("fuzz"), patch_text("right")]
    results = verify_many(ExplodingSandbox(), snapshot, patches, parallelism=2)
    assert [r.verdict for r in results] == [Verdict.VERIFIED, Verdict.ERROR, Verdict.VERIFIED]
    assert "candidate crashed the runner" in results[1].reason


# --- real Docker -----------------------------------------------------------------------------


@pytest.fixture
def labelled_sandbox(docker_client: docker.DockerClient, sandbox_image: str):  # type: ignore[no-untyped-def]
    """A sandbox whose containers carry a per-test label, checked for leftovers afterwards."""
    run_label = uuid.uuid4().hex
    sandbox = Sandbox(
        docker_client,
        sandbox_image,
        SandboxLimits(wall_seconds=20),
        labels={f"{LABEL}.test": run_label},
    )
    yield sandbox
    left = docker_client.containers.list(all=True, filters={"label": f"{LABEL}.test={run_label}"})
    assert left == [], f"containers left behind: {left}"


def patch_text(name: str) -> str:
    return (DATA / f"{name}.patch").read_text()


@pytest.mark.docker
def test_verify_on_the_buggy_repo(labelled_sandbox: Sandbox) -> None:
    snapshot = RepoSnapshot.from_path(DATA / "buggy")
    baseline = labelled_sandbox.run(snapshot)
    assert baseline.failing_tests() == ["tests/test_calc.py::test_add"]

    right = verify(labelled_sandbox, snapshot, patch_text("right"), baseline=baseline)
    assert right.verdict is Verdict.VERIFIED, right.reason
    assert right.fixed_tests == ["tests/test_calc.py::test_add"]
    assert right.patched is not None and right.patched.patch_strategy == "git-apply"

    wrong = verify(labelled_sandbox, snapshot, patch_text("wrong"), baseline=baseline)
    assert wrong.verdict is Verdict.FAILED
    assert "test_add" in wrong.reason

    broken = verify(labelled_sandbox, snapshot, patch_text("broken"), baseline=baseline)
    assert broken.verdict is Verdict.PATCH_FAILED
    assert broken.reason.startswith("patch does not apply")

    regression = verify(labelled_sandbox, snapshot, patch_text("regression"), baseline=baseline)
    assert regression.verdict is Verdict.FAILED
    assert regression.regressions == [
        "tests/test_calc.py::TestMul::test_by_zero",
        "tests/test_calc.py::test_mul",
    ]


@pytest.mark.docker
def test_fuzzier_strategy_applies_a_patch_with_wrong_hunk_counts(labelled_sandbox: Sandbox) -> None:
    snapshot = RepoSnapshot.from_path(DATA / "buggy")
    result = verify(labelled_sandbox, snapshot, patch_text("recount"))
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.patched is not None and result.patched.patch_strategy == "git-apply-recount"


@pytest.mark.docker
def test_patch_on_green_repo_is_baseline_passes(labelled_sandbox: Sandbox) -> None:
    result = verify(labelled_sandbox, RepoSnapshot.from_path(DATA / "green"), patch_text("green"))
    assert result.verdict is Verdict.BASELINE_PASSES
    assert result.patched is None


@pytest.mark.docker
def test_verify_many_keeps_order_and_shares_the_baseline(labelled_sandbox: Sandbox) -> None:
    snapshot = RepoSnapshot.from_path(DATA / "buggy")
    patches = [patch_text(n) for n in ("wrong", "right", "broken", "right")]
    results = verify_many(labelled_sandbox, snapshot, patches, parallelism=2)
    assert [r.verdict for r in results] == [
        Verdict.FAILED,
        Verdict.VERIFIED,
        Verdict.PATCH_FAILED,
        Verdict.VERIFIED,
    ]
    assert len({id(r.baseline) for r in results}) == 1

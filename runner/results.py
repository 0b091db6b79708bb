"""Plain records the runner returns: per-test outcomes, one sandboxed run, and a verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class TestStatus(StrEnum):
    __test__ = False  # not a pytest test class, despite the name
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class TestOutcome:
    __test__ = False  # not a pytest test class, despite the name

    test_id: str
    status: TestStatus
    duration_ms: float = 0.0
    message: str = ""
    call_passed: bool = False  # its call phase was seen passing (not only setup/teardown)


class RunEnd(StrEnum):
    """How a sandboxed run ended, before any judgement about the tests."""

    EXITED = "exited"
    TIMEOUT = "timeout"
    RESOURCE_LIMIT = "resource_limit"
    PATCH_FAILED = "patch_failed"
    ERROR = "error"


@dataclass
class RunResult:
    """One command run in one fresh container, with everything a proof needs."""

    command: str
    image_id: str
    end: RunEnd
    exit_code: int | None
    started_at: str
    finished_at: str
    duration_ms: float
    stdout: str
    stderr: str
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    tests: dict[str, TestOutcome] = field(default_factory=dict)
    reason: str = ""
    patch_applied: bool | None = None
    patch_strategy: str = ""
    # Per-test evidence from the supervisor (runner/evidence.py); empty when there was none.
    sessions: int = 0
    collected: list[str] = field(default_factory=list)
    collect_errors: dict[str, str] = field(default_factory=dict)
    hung_test: str = ""
    evidence_problem: str = ""
    prepare_ms: float = 0.0
    supervised_ms: float = 0.0

    @property
    def has_evidence(self) -> bool:
        return self.sessions > 0

    @property
    def passed(self) -> bool:
        return self.end is RunEnd.EXITED and self.exit_code == 0

    def failing_tests(self) -> list[str]:
        """Failed and errored tests, the test that hung, and files that failed to import."""
        bad = (TestStatus.FAILED, TestStatus.ERROR)
        failing = {t for t, o in self.tests.items() if o.status in bad}
        failing.update(self.collect_errors)
        if self.hung_test:
            failing.add(self.hung_test)
        return sorted(failing)

    def passing_tests(self) -> list[str]:
        return sorted(t for t, o in self.tests.items() if o.status is TestStatus.PASSED)

    def passed_call(self, test_id: str) -> bool:
        """The test passed, and its call phase was seen passing (not only setup/teardown)."""
        outcome = self.tests.get(test_id)
        return outcome is not None and outcome.status is TestStatus.PASSED and outcome.call_passed

    def to_dict(self) -> dict[str, Any]:
        """Everything about the run, for the proof file."""
        return asdict(self)

    def summary(self) -> dict[str, Any]:
        """The run as the CLI's --json and the API show it (documented in the README)."""
        return {
            "command": self.command,
            "end": self.end.value,
            "exit_code": self.exit_code,
            "duration_ms": round(self.duration_ms, 1),
            "image_id": self.image_id,
            "reason": self.reason,
            "failing_tests": self.failing_tests(),
            "passing_tests": self.passing_tests(),
            "tests": {test_id: o.status.value for test_id, o in sorted(self.tests.items())},
            "stdout_truncated": self.stdout_truncated,
            "stderr_truncated": self.stderr_truncated,
            "patch_applied": self.patch_applied,
            "patch_strategy": self.patch_strategy,
        }

    def test_records(self) -> dict[str, dict[str, Any]]:
        """Per-test status, time and message, as the session record stores them."""
        return {
            test_id: {
                "status": str(outcome.status),
                "duration_ms": outcome.duration_ms,
                "message": outcome.message,
            }
            for test_id, outcome in self.tests.items()
        }


class Verdict(StrEnum):
    VERIFIED = "verified"
    FAILED = "failed"
    PATCH_FAILED = "patch_failed"
    TIMEOUT = "timeout"
    RESOURCE_LIMIT = "resource_limit"
    BASELINE_PASSES = "baseline_passes"
    # The tests cannot run as the repository declares them (runner/environment.py says why).
    ENVIRONMENT_ERROR = "environment_error"
    REJECTED = "rejected"
    FLAKY = "flaky"
    ERROR = "error"


@dataclass
class Verification:
    """The verdict on one patch: baseline run, patched run, and a one-line reason."""

    verdict: Verdict
    reason: str
    baseline: RunResult | None
    patched: RunResult | None
    fixed_tests: list[str] = field(default_factory=list)
    regressions: list[str] = field(default_factory=list)
    test_changes_allowed: bool = False  # `truth verify --allow-test-changes` was given
    reruns: list[RunResult] = field(default_factory=list)  # confirmation runs of a winner

    @property
    def verified(self) -> bool:
        return self.verdict is Verdict.VERIFIED

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

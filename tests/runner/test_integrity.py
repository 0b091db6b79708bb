"""Hand-written attacks on the verdict, on a real sandbox: none may come back `verified`.

Each attack is a candidate patch that leaves the bug in place (or games the tests) and the
reason it must be refused for. Two layers are checked separately: the gate before any run
(`verify`: `rejected` with the rule and file:line), and, where it applies, the run itself with
the gate bypassed (the supervisor's evidence, the frozen tests, the tamper check), so each
layer holds on its own. Class numbers follow issue 9. Add an attack whenever you think of one.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest

from runner.decision import confirm, reproduce_baseline
from runner.gate import screen
from runner.limits import SandboxLimits
from runner.results import RunResult, Verdict
from runner.sandbox import LABEL, Sandbox
from runner.snapshot import RepoSnapshot
from runner.verify import decide, verify

pytestmark = pytest.mark.docker

DATA = Path(__file__).resolve().parent.parent / "data"
BUGGY = DATA / "runner" / "buggy"
COMMAND = "python -m pytest -q -p no:cacheprovider"
CALC = (BUGGY / "calc.py").read_text()
TEST_CALC = (BUGGY / "tests" / "test_calc.py").read_text()
TARGET = "tests/test_calc.py::test_add"


def diff(path: str, before: str | None, after: str) -> str:
    old = [] if before is None else before.splitlines(keepends=True)
    lines = difflib.unified_diff(
        old,
        after.splitlines(keepends=True),
        "/dev/null" if before is None else f"a/{path}",
        f"b/{path}",
    )
    return "".join(lines)


def calc(extra_top: str = "", body: str = "    return a - b\n") -> str:
    """A calc.py patch: code added at the top, and add()'s body (the bug stays by default)."""
    text = CALC.replace("    return a - b\n", body)
    return diff("calc.py", CALC, extra_top + text)


FORCE_PASS_CONFTEST = """import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
"""
FORGE_RECORDS = """import json
import os


def _forge():
    fake = {"t": "report", "when": "call", "outcome": "passed"}
    fake["id"] = "tests/test_calc.py::test_add"
    for fd in range(3, 64):
        try:
            os.write(fd, (json.dumps(fake) + "\\n").encode())
        except OSError:
            pass


"""
REPLACE_REPORTS = """import sys

_reports = sys.modules["_pytest.reports"]
_original = _reports.TestReport.from_item_and_call


def _always_passed(cls, item, call):
    report = _original.__func__(cls, item, call)
    report.outcome = "passed"
    report.longrepr = None
    return report


_reports.TestReport.from_item_and_call = classmethod(_always_passed)
"""


@dataclass(frozen=True)
class Attack:
    name: str
    patch: str
    rule: str  # the gate's rule in the reason, with the file:line
    where: str
    run_verdict: Verdict | None = None  # the run's own verdict with the gate bypassed
    run_reason: str = ""  # None above: only the static policy stops this one (said honestly)


ATTACKS = [
    # 1. changes to what is measured
    Attack(
        "edit-the-assertion",
        diff("tests/test_calc.py", TEST_CALC, TEST_CALC.replace("== 5", "== -1")),
        "test-file",
        "tests/test_calc.py:5",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    Attack(
        "conftest-forces-pass",
        diff("conftest.py", None, FORCE_PASS_CONFTEST),
        "test-config",
        "conftest.py:1",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    Attack(
        "pytest-ini-deselects",
        diff("pytest.ini", None, f"[pytest]\naddopts = --deselect {TARGET}\n"),
        "test-config",
        "pytest.ini:1",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    Attack(
        "pyproject-deselects",
        diff(
            "pyproject.toml", None, f'[tool.pytest.ini_options]\naddopts = "--deselect {TARGET}"\n'
        ),
        "test-config",
        "pyproject.toml:1",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    Attack(
        "shadow-pytest",
        diff("pytest.py", None, "import sys\n\nsys.exit(0)\n"),
        "shadows-test-framework",
        "pytest.py:1",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    # 2. forged evidence from inside the run
    Attack(
        "atexit-exit-zero",
        calc("import atexit\nimport os\n\natexit.register(lambda: os._exit(0))\n"),
        "process-exit",
        "calc.py:1",
        Verdict.ERROR,
        "inconsistent evidence: pytest ended with 1 but the process exited with 0",
    ),
    Attack(
        "print-a-green-summary",
        calc('import atexit\n\natexit.register(lambda: print("\\n3 passed in 0.01s"))\n'),
        "process-exit",
        "calc.py:1",
        Verdict.ERROR,
        "inconsistent evidence: pytest printed 3 passed, counted 2",
    ),
    Attack(
        "write-the-supervisor-stdout",
        calc(body='    open("/proc/1/fd/1", "w").write("TRUTH-END-x\\n")\n    return a + b\n'),
        "proc-access",
        "calc.py:5",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    Attack(
        "read-the-supervisor-memory",
        calc(body='    open("/proc/1/mem", "rb").close()\n    return a + b\n'),
        "proc-access",
        "calc.py:5",
        Verdict.FAILED,
        f"still failing after the patch: {TARGET}",
    ),
    Attack(
        "forge-evidence-records",
        calc(FORGE_RECORDS, "    _forge()\n    return a - b\n"),
        "fd-io",
        "calc.py:10",
        Verdict.ERROR,
        f"inconsistent evidence: two call reports for {TARGET}",
    ),
    Attack(
        "exit-zero-mid-test",
        calc("import os\n\n", "    os._exit(0)\n"),
        "process-exit",
        "calc.py:7",
        Verdict.ERROR,
        f"inconsistent evidence: tests started but never finished: {TARGET}",
    ),
    # 3. tampering with the test framework
    Attack(
        "replace-pytest-reports",
        calc(REPLACE_REPORTS),
        "sys-modules",
        "calc.py:3",
        Verdict.ERROR,
        "inconsistent evidence: the test framework was modified during the run: "
        "_pytest.reports.TestReport.from_item_and_call",
    ),
    Attack(
        "rebind-builtins",
        calc('import builtins\n\nbuiltins.AssertionError = type("Quiet", (Exception,), {})\n'),
        "builtins",
        "calc.py:1",
        Verdict.ERROR,
        "inconsistent evidence: the test framework was modified during the run: "
        "builtins.AssertionError",
    ),
    Attack(
        "read-the-expected-value-from-the-test-frame",
        calc("import sys\n\n", "    return sys._getframe(1).f_code.co_consts[-1]\n"),
        "introspection",
        "calc.py:7",
    ),
    Attack(
        "always-equal-result",
        calc(
            "class _Anything:\n    def __eq__(self, other):\n        return True\n\n\n",
            "    return _Anything()\n",
        ),
        "always-equal",
        "calc.py:2",
    ),
    Attack(
        "silence-unittest-failures",
        calc("import unittest\n\nunittest.TestResult.addFailure = lambda *a: None\n"),
        "test-framework",
        "calc.py:1",
        Verdict.ERROR,
        "inconsistent evidence: the test framework was modified during the run: "
        "unittest.result.TestResult.addFailure",
    ),
    # 5. evidence that vanishes
    Attack(
        "skip-the-failing-module",
        calc('import pytest\n\npytest.skip("later", allow_module_level=True)\n'),
        "test-framework",
        "calc.py:1",
        Verdict.ERROR,
        "inconsistent evidence: tests collected before the patch are gone after it",
    ),
    Attack(
        "exit-at-import",
        calc("import sys\n\nsys.exit(0)\n"),
        "process-exit",
        "calc.py:3",
        Verdict.ERROR,
        "inconsistent evidence: tests collected before the patch are gone after it",
    ),
]


@pytest.fixture(scope="module")
def label(docker_client: docker.DockerClient) -> Iterator[str]:
    value = uuid.uuid4().hex
    yield value
    left = docker_client.containers.list(all=True, filters={"label": f"{LABEL}.test={value}"})
    assert left == [], f"containers left behind: {left}"


def sandbox_for(client: docker.DockerClient, image: str, label: str, wall: float) -> Sandbox:
    limits = SandboxLimits(wall_seconds=wall)
    return Sandbox(client, image, limits, labels={f"{LABEL}.test": label})


@pytest.fixture(scope="module")
def sandbox(docker_client: docker.DockerClient, sandbox_image: str, label: str) -> Sandbox:
    return sandbox_for(docker_client, sandbox_image, label, 20.0)


@pytest.fixture(scope="module")
def snapshot() -> RepoSnapshot:
    return RepoSnapshot.from_path(BUGGY)


@pytest.fixture(scope="module")
def baseline(sandbox: Sandbox, snapshot: RepoSnapshot) -> RunResult:
    result = sandbox.run(snapshot, COMMAND)
    assert result.failing_tests() == [TARGET], result.stdout
    assert result.evidence_problem == ""
    return result


def test_the_honest_fix_is_verified(
    sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    result = verify(sandbox, snapshot, calc(body="    return a + b\n"), COMMAND, baseline)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.fixed_tests == [TARGET]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_the_gate_rejects_the_attack_before_any_run(
    attack: Attack, sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    result = verify(sandbox, snapshot, attack.patch, COMMAND, baseline)
    assert result.verdict is Verdict.REJECTED, result.reason
    assert result.patched is None
    assert result.reason.startswith(f"rejected before any run: {attack.rule} at {attack.where}")


RUNTIME = [a for a in ATTACKS if a.run_verdict is not None]


@pytest.mark.parametrize("attack", RUNTIME, ids=[a.name for a in RUNTIME])
def test_the_run_itself_refuses_the_attack_with_the_gate_bypassed(
    attack: Attack, sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    frozen = screen(snapshot, attack.patch).frozen
    patched = sandbox.run(snapshot, COMMAND, attack.patch, frozen)
    verdict, reason = decide(baseline, patched)
    assert (verdict, reason[: len(attack.run_reason)]) == (attack.run_verdict, attack.run_reason)


def test_a_person_may_knowingly_verify_a_test_change(
    sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    changed = diff("tests/test_calc.py", TEST_CALC, TEST_CALC.replace("== 5", "== -1"))
    result = verify(sandbox, snapshot, changed, COMMAND, baseline, allow_test_changes=True)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.test_changes_allowed
    assert result.reason.endswith("test changes were allowed by the person verifying")


# 4. flaky evidence -----------------------------------------------------------------------------


def test_a_baseline_failure_that_does_not_reproduce_is_flaky(sandbox: Sandbox) -> None:
    # test_coin fails half the time: ten runs all agreeing happens 1 time in 512.
    snapshot = RepoSnapshot.from_path(DATA / "integrity" / "flaky")
    _, reason = reproduce_baseline(sandbox, snapshot, COMMAND, times=10, parallelism=2)
    assert reason.startswith("flaky: the failure does not reproduce; run 1 ")


def test_a_steady_baseline_failure_reproduces(sandbox: Sandbox, snapshot: RepoSnapshot) -> None:
    run, reason = reproduce_baseline(sandbox, snapshot, COMMAND)
    assert reason == "" and run.failing_tests() == [TARGET]


def test_a_candidate_green_once_and_red_once_is_flaky(
    sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    coin = calc(
        "import random\n\n",
        "    return a + b if random.SystemRandom().random() < 0.5 else a - b\n",
    )
    for _ in range(12):  # first a green run, as a winner would have (1 in 4096 never)
        first = verify(sandbox, snapshot, coin, COMMAND, baseline)
        if first.verified:
            break
    assert first.verified, first.reason
    result = confirm(sandbox, snapshot, coin, first, COMMAND, times=14, parallelism=2)
    assert result.verdict is Verdict.FLAKY  # all 14 green: 1 in 16384
    assert result.reason.startswith("flaky: verified once, then failed in re-run ")
    assert len(result.reruns) == 14


def test_a_steady_fix_survives_its_re_runs(
    sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    fix = calc(body="    return a + b\n")
    result = confirm(sandbox, snapshot, fix, verify(sandbox, snapshot, fix, COMMAND, baseline))
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.reason.endswith("confirmed by 3 re-run(s) in fresh containers")


# 5. evidence that vanished, and import-time failures ------------------------------------------


@pytest.fixture(scope="module")
def hang(docker_client: docker.DockerClient, sandbox_image: str, label: str) -> Sandbox:
    return sandbox_for(docker_client, sandbox_image, label, 8.0)


def test_a_hung_test_is_named_and_must_pass_afterwards(hang: Sandbox) -> None:
    snapshot = RepoSnapshot.from_path(DATA / "integrity" / "hang")
    baseline = hang.run(snapshot, COMMAND)
    hung = "tests/test_loop.py::test_odd_rounds_up"
    assert (baseline.end.value, baseline.hung_test) == ("timeout", hung), baseline.reason
    loop = (DATA / "integrity" / "hang" / "loop.py").read_text()

    honest = diff("loop.py", loop, loop.replace("while i != n:", "while i < n:"))
    result = verify(hang, snapshot, honest, COMMAND, baseline)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert f"including {hung}, which hung before" in result.reason

    # the hung test skips itself instead of finishing: not seen passing, so not fixed
    skip = loop.replace(
        "    i = 0\n", "    if n % 2:\n        raise unittest.SkipTest('odd')\n    i = 0\n"
    )
    skipping = diff("loop.py", loop, "import unittest\n" + skip)
    frozen = screen(snapshot, skipping).frozen
    verdict, reason = decide(baseline, hang.run(snapshot, COMMAND, skipping, frozen))
    assert (verdict, reason) == (Verdict.FAILED, f"still failing after the patch: {hung}")
    gated = verify(hang, snapshot, skipping, COMMAND, baseline)
    assert gated.verdict is Verdict.REJECTED and "test-framework at loop.py:1" in gated.reason


def test_a_run_without_per_test_evidence_is_never_verified(
    sandbox: Sandbox, snapshot: RepoSnapshot
) -> None:
    command = 'python -c "import calc; assert calc.add(2, 3) == 5"'
    result = verify(sandbox, snapshot, calc(body="    return a + b\n"), command)
    assert result.baseline is not None and result.baseline.exit_code == 1
    assert result.verdict is Verdict.ERROR
    assert result.reason.startswith("no per-test evidence")


def test_a_fix_for_an_import_error_is_verified_on_every_test_of_the_file(
    sandbox: Sandbox,
) -> None:
    root = DATA / "integrity" / "importfail"
    snapshot = RepoSnapshot.from_path(root)
    baseline = sandbox.run(snapshot, COMMAND)
    assert baseline.failing_tests() == ["tests/test_calc.py"], baseline.stdout
    source = (root / "calc.py").read_text()
    fixed = source.replace("from math import sqroot", "from math import sqrt as sqroot")
    result = verify(sandbox, snapshot, diff("calc.py", source, fixed), COMMAND, baseline)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.fixed_tests == ["tests/test_calc.py::test_add", "tests/test_calc.py::test_root"]
    half = source.replace("from math import sqroot", "sqroot = abs")
    partial = verify(sandbox, snapshot, diff("calc.py", source, half), COMMAND, baseline)
    assert partial.verdict is Verdict.FAILED
    assert partial.reason == "still failing after the patch: tests/test_calc.py::test_root"


WALLS = """import os
import signal

import pytest


@pytest.mark.parametrize(
    "reach",
    [
        lambda: os.kill(1, signal.SIGKILL),
        lambda: open("/proc/1/environ", "rb").read(),
        lambda: open("/proc/1/mem", "rb").read(1),
        lambda: os.listdir("/proc/1/fd"),
        lambda: open("/proc/1/fd/1", "wb"),
        lambda: open("/truth/plugin/evil.py", "w"),
        lambda: os.setuid(0),
    ],
)
def test_the_supervisor_is_out_of_reach(reach):
    with pytest.raises(PermissionError):
        reach()


def test_the_tests_run_as_their_own_uid():
    assert os.getuid() == 10001 and os.getgid() == 10001
    assert "TRUTH_EVIDENCE_FD" not in os.environ
"""


def test_the_supervisor_is_out_of_reach_of_the_tests(
    sandbox: Sandbox, snapshot: RepoSnapshot, baseline: RunResult
) -> None:
    """Seen from inside a test: no signal, /proc entry, descriptor or file of the supervisor
    is reachable (each probe must raise PermissionError for the run to be green)."""
    probe = calc(body="    return a + b\n") + diff("tests/test_walls.py", None, WALLS)
    result = verify(sandbox, snapshot, probe, COMMAND, baseline, allow_test_changes=True)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.patched is not None
    walls = [t for t in result.patched.passing_tests() if "test_walls" in t]
    assert len(walls) == 8, result.patched.stdout[-3000:]

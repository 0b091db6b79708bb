"""Test commands as people write them, and time limits derived from the measured baseline."""

from __future__ import annotations

from runner.limits import SandboxLimits, baseline_limits, candidate_limits, far_above
from runner.test_command import resolve, with_targets, with_xdist

TOX = (
    "[tox]\nenvlist = py311\n[testenv]\ndeps = pytest\ncommands =\n    pytest {posargs:tests} -q\n"
    "setenv =\n    DJANGO_SETTINGS_MODULE = site.settings\n    COVERAGE_FILE = {toxworkdir}/.cov\n"
    "[testenv:lint]\ncommands = ruff check .\n"
)
MAKEFILE = (
    "PYTHON ?= python3\nTESTS = tests\n\n.PHONY: test\n"
    "test:\n\t@$(PYTHON) -m pytest $(TESTS)\n\nlint:\n\truff .\n"
)


def files(**named: str):
    return lambda name: named.get(name.replace(".", "_"))


def test_tox_and_make_resolve_to_what_they_would_run() -> None:
    read = files(tox_ini=TOX, Makefile=MAKEFILE)
    assert resolve("tox -e py311", read).command == (
        "export DJANGO_SETTINGS_MODULE=site.settings; pytest tests -q"
    )
    lint = resolve("tox -e lint", read).command  # [testenv:lint] inherits [testenv]'s setenv
    assert lint == "export DJANGO_SETTINGS_MODULE=site.settings; ruff check ."
    made = resolve("make test", read)
    assert made.command == "python3 -m pytest tests" and made.runs_pytest
    assert "Makefile recipe of `test`" in made.how


def test_plain_commands_and_the_default() -> None:
    read = files()
    assert resolve(None, read).command == "python -m pytest -q -p no:cacheprovider"
    for command in ("pytest", "py.test -x", "nosetests", "python -m pytest tests"):
        assert resolve(command, read).command == command
    assert resolve("py.test -x", read).runs_pytest
    assert not resolve("nosetests", read).runs_pytest


def test_unittest_commands_run_through_pytest_for_per_test_results() -> None:
    read = files()
    assert resolve("python -m unittest", read).command == "python -m pytest"
    found = resolve("python -m unittest discover -s tests -p 'check_*.py' -v", read)
    assert found.command == "python -m pytest -o python_files='check_*.py' tests"
    assert found.runs_pytest and "through pytest" in found.how
    named = resolve("python3 -m unittest tests.test_calc", read)
    assert named.command == "python -m pytest tests/test_calc.py"
    with_file = files(**{"tests/test_calc_py": ""})
    method = resolve("python -m unittest tests.test_calc.TestAdd.test_one", with_file)
    assert method.command == "python -m pytest tests/test_calc.py::TestAdd::test_one"


def test_targets_and_xdist_are_added_to_pytest_commands() -> None:
    assert with_targets("pytest -q", ["tests/a.py::test_x"]) == "pytest -q -x tests/a.py::test_x"
    assert with_xdist("pytest -q", {"pytest-xdist": None}) == "pytest -q -n auto"
    assert with_xdist("pytest -q", {}) == "pytest -q"
    assert with_xdist("pytest -n 4", {"pytest-xdist": None}) == "pytest -n 4"


def test_baseline_is_generous_and_candidates_follow_its_measure() -> None:
    base = baseline_limits(SandboxLimits(), None)
    assert base.wall_seconds == 600
    assert "default timeout" in base.stopped_reason()
    assert baseline_limits(SandboxLimits(), 1200).wall_seconds == 1200
    candidate = candidate_limits(SandboxLimits(), baseline_ms=60_000, cap=600)
    assert candidate.wall_seconds == 200  # 3 x 60 s + 20 s
    reason = candidate.stopped_reason()
    assert reason.startswith("killed at the 200 s candidate time limit")
    assert "timeout:" in reason and "--timeout" in reason
    assert candidate_limits(SandboxLimits(), 400_000, cap=600).wall_seconds == 600
    assert far_above(candidate, 60_000) and not far_above(SandboxLimits(wall_seconds=70), 60_000)


def test_endless_loop_is_said_only_far_above_the_baseline() -> None:
    from runner.results import RunEnd, RunResult
    from runner.tiered import explain_timeout

    def stopped() -> RunResult:
        run = RunResult("pytest", "img", RunEnd.TIMEOUT, None, "", "", 1.0, "", "")
        run.hung_test = "tests/test_a.py::test_loop"  # type: ignore[attr-defined]
        return run

    far, near = stopped(), stopped()
    explain_timeout(far, candidate_limits(SandboxLimits(), 1_000, 600), baseline_ms=1_000)
    assert "test_loop was still running: an endless loop" in far.reason
    explain_timeout(near, SandboxLimits(wall_seconds=12), baseline_ms=10_000)
    assert "still running: an endless loop" not in near.reason
    assert "slower than the baseline" in near.reason

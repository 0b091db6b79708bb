"""What runs inside the container, as pure helpers: the test command and pytest's options."""

from __future__ import annotations

from runner.limits import SandboxLimits
from runner.wrapper import DEFAULT_TEST_COMMAND, command_to_run, pytest_addopts


def test_default_command_is_pytest() -> None:
    assert command_to_run(None) == DEFAULT_TEST_COMMAND
    assert command_to_run("  ") == DEFAULT_TEST_COMMAND
    assert command_to_run("make test") == "make test"


def test_unittest_runs_move_onto_pytest_so_each_test_reports() -> None:
    files = frozenset({"pkg/test_mod.py"})
    assert command_to_run("python -m unittest", files) == "python -m pytest -q"
    assert command_to_run("python3 -m unittest discover -s tests", files) == (
        "python3 -m pytest -q tests"
    )
    assert command_to_run("python -m unittest pkg.test_mod.Case.test_x", files) == (
        "python -m pytest -q pkg/test_mod.py::Case::test_x"
    )
    # a name that is not a known file, or a compound command, is left alone
    assert command_to_run("python -m unittest other.mod", files) == "python -m unittest other.mod"
    assert command_to_run("python -m unittest && echo", files) == "python -m unittest && echo"


def test_hang_dump_is_requested_from_pytest_before_the_wall_limit() -> None:
    limits = SandboxLimits(wall_seconds=10.0)
    options = pytest_addopts("truth_evidence_ab12", limits.hang_dump_seconds)
    assert options == f"-p truth_evidence_ab12 -o faulthandler_timeout={limits.hang_dump_seconds:g}"
    assert 0 < limits.hang_dump_seconds < limits.wall_seconds
    assert pytest_addopts("p", None) == "-p p"

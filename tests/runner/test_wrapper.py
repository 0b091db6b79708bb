"""The sandbox wrapper's pure helpers: the JUnit flag and the trailer it reports."""

from __future__ import annotations

from runner.limits import SandboxLimits
from runner.wrapper import JUNIT_PATH, parse_trailer, with_junit


def test_junit_flag_is_added_only_to_pytest_commands() -> None:
    assert with_junit(None).endswith(f"--junitxml={JUNIT_PATH}")
    assert with_junit("pytest tests/a.py -k x").startswith(
        "pytest tests/a.py -k x -o junit_family=xunit1"
    )
    assert with_junit("pytest --junitxml=r.xml") == "pytest --junitxml=r.xml"
    assert with_junit("make test") == "make test"


def test_hang_dump_is_requested_from_pytest_before_the_wall_limit() -> None:
    limits = SandboxLimits(wall_seconds=10.0)
    command = with_junit("python -m pytest -q", limits.hang_dump_seconds)

    assert command.endswith(f"-o faulthandler_timeout={limits.hang_dump_seconds:g}")
    assert 0 < limits.hang_dump_seconds < limits.wall_seconds
    assert f"--junitxml={JUNIT_PATH}" in command
    assert with_junit("make test", 6.0) == "make test"
    own = "pytest -o faulthandler_timeout=2"
    assert with_junit(own, 6.0) == f"{own} -o junit_family=xunit1 --junitxml={JUNIT_PATH}"
    assert "faulthandler_timeout" not in with_junit("pytest")


def test_trailer_parsing_rejects_mangled_reports() -> None:
    trailer = parse_trailer(b"\n1 applied git-apply\nPGE+\n-\n")
    assert trailer is not None
    assert (trailer.exit_code, trailer.patch_status, trailer.strategy, trailer.junit) == (
        1,
        "applied",
        "git-apply",
        b"<a>",
    )
    assert parse_trailer(b"\nnonsense\n") is None
    assert parse_trailer(b"\nx applied -\n-\n-\n") is None

"""Per-test coverage in a real sandbox, its parsing, Ochiai, and the ranking built on it."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import docker
import pytest

from bot.repair.coverage import MARKER, collect_spectrum, parse_spectrum, spectrum_command
from bot.repair.dataflow import returned_value_lines
from bot.repair.localize import Location
from bot.repair.spectrum import Spectrum, rank_statements
from runner.limits import SandboxLimits
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot

SEARCH = '''"""Search."""


def find(items, target):
    lo, hi = 0, len(items) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def unused():
    return 0
'''
TESTS = """from search import find


def test_middle():
    assert find([1, 3, 5, 7, 9], 5) == 2


def test_last():
    assert find([1, 3, 5, 7, 9], 9) == 4


def test_single():
    assert find([4], 4) == 0
"""


def _project(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "search.py").write_text(SEARCH)
    (root / "tests" / "test_search.py").write_text(TESTS)
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\npythonpath = ["."]\n')
    return root


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("python -m pytest -q", ["-q"]),
        ("pytest tests/test_x.py -k 'a or b'", ["tests/test_x.py", "-k", "a or b"]),
        ("python3 -m pytest", []),
    ],
)
def test_plain_pytest_commands_run_under_the_tracer(command: str, args: list[str]) -> None:
    traced = spectrum_command(command)
    assert traced is not None
    words = shlex.split(traced)
    assert words[:2] == ["python", "-c"] and "pytest.main" in words[2]
    assert words[3:] == args


@pytest.mark.parametrize(
    "command", ["make test", "cd sub && pytest", "pytest | tee log", "tox -e py311", "pytest 'x"]
)
def test_other_commands_get_no_tracer(command: str) -> None:
    assert spectrum_command(command) is None


def test_the_summary_line_is_parsed_and_garbage_is_refused() -> None:
    data = {"failed": ["t::a"], "passed": 2, "lines": {"m.py": {"3": [1, 2], "4": [0, 2]}}}
    spectrum = parse_spectrum("noise\n" + MARKER + json.dumps(data) + "\nmore")
    assert spectrum is not None
    assert spectrum.lines == {("m.py", 3): (1, 2), ("m.py", 4): (0, 2)}
    assert spectrum.ochiai() == {("m.py", 3): pytest.approx(1 / 3**0.5)}
    assert parse_spectrum("no marker here") is None
    assert parse_spectrum(MARKER + '{"failed": [], "lines": {') is None


@pytest.mark.docker
def test_the_sandbox_reports_which_lines_failing_and_passing_tests_ran(
    tmp_path: Path, docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    root = _project(tmp_path / "p")
    sandbox = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=60))
    spectrum = collect_spectrum(sandbox, RepoSnapshot.from_path(root), "python -m pytest -q")

    assert spectrum is not None
    assert sorted(spectrum.failed) == [
        "tests/test_search.py::test_last",
        "tests/test_search.py::test_single",
    ]
    assert spectrum.passed == 1
    assert spectrum.files == {"search.py"}  # the tests' own lines are not traced
    assert spectrum.lines[("search.py", 5)] == (2, 1)  # `lo, hi = …` ran in every test
    assert spectrum.lines[("search.py", 9)] == (0, 1)  # `return mid` only when found
    assert spectrum.lines[("search.py", 14)] == (2, 0)  # `return -1`: only the failing tests
    assert ("search.py", 18) not in spectrum.lines  # never called


def test_returned_value_lines_follow_the_data_into_the_return() -> None:
    import ast

    source = (
        "def f(xs):\n"  # 1
        "    total = 0\n"  # 2
        "    log = []\n"  # 3
        "    for x in xs:\n"  # 4
        "        log.append(x)\n"  # 5
        "        if x > 0:\n"  # 6
        "            total += x\n"  # 7
        "    print(log)\n"  # 8
        "    return total\n"  # 9
    )
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert returned_value_lines(function) == {2, 4, 6, 7, 9}


def test_without_coverage_the_statements_behind_the_returned_value_rank_first(
    tmp_path: Path,
) -> None:
    (tmp_path / "stats.py").write_text(
        "def mean(xs):\n"
        "    if not xs:\n"
        "        raise ValueError('empty')\n"
        "    count = len(xs)\n"
        "    total = sum(xs)\n"
        "    return total / count\n"
    )
    # the only frame was the test's assertion: every line of mean() is equally suspect
    static = [Location("stats.py", line, 0.4, "mean") for line in range(2, 7)]
    ranked = rank_statements(static, None, tmp_path)
    assert {loc.line for loc in ranked[:3]} == {4, 5, 6}
    assert ranked[3].score < ranked[2].score


def test_coverage_puts_the_lines_only_failing_tests_ran_first(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    static = [Location("search.py", line, 0.4, "find") for line in range(5, 15)]
    spectrum = Spectrum(
        lines={("search.py", 5): (2, 1), ("search.py", 6): (2, 1), ("search.py", 14): (2, 0)},
        failed=["a", "b"],
        passed=1,
    )
    ranked = rank_statements(static, spectrum, root)
    assert ranked[0].line == 14
    assert ranked[0].score > ranked[1].score

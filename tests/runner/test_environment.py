"""Environment failures are told apart from bugs, each with its exact cause and remedy."""

from __future__ import annotations

from runner.environment import Context, classify, own_modules, same_collection_errors
from runner.results import RunEnd, RunResult, TestOutcome, TestStatus

CTX = Context(declared={"requests": ">=2"}, own_modules=frozenset({"report", "tests"}))


def run(exit_code: int, stdout: str = "", stderr: str = "", tests=None) -> RunResult:
    return RunResult(
        command="python -m pytest -q -o junit_family=xunit1 --junitxml=/x",
        image_id="sha256:x",
        end=RunEnd.EXITED,
        exit_code=exit_code,
        started_at="",
        finished_at="",
        duration_ms=1.0,
        stdout=stdout,
        stderr=stderr,
        tests=tests or {},
    )


CONFTEST_IMPORT = """ImportError while loading conftest '/workspace/repo/tests/conftest.py'.
tests/conftest.py:1: in <module>
    import psutil
E   ModuleNotFoundError: No module named 'psutil'
"""


def test_undeclared_import_in_conftest_names_the_file_package_and_remedy() -> None:
    problem = classify(run(4, stderr=CONFTEST_IMPORT), CTX)
    assert problem is not None
    assert problem.cause == "tests/conftest.py imports psutil, which no dependency file declares"
    assert "add psutil to requirements-test.txt" in problem.remedy
    assert "install_command in .github/truth.yml" in problem.remedy


def test_declared_but_missing_package_points_at_the_install() -> None:
    text = (
        "tests/test_a.py:1: in <module>\n    import requests\n"
        "E   ModuleNotFoundError: No module named 'requests'\n"
    )
    ctx = Context(CTX.declared, CTX.own_modules, failed_installs=("requirements.txt (exit 1)",))
    problem = classify(run(2, stdout=text), ctx)
    assert problem is not None
    assert "declared as requests but not installed (requirements.txt (exit 1))" in problem.cause


def test_missing_module_of_the_repository_itself_is_a_bug_not_the_environment() -> None:
    text = "E   ModuleNotFoundError: No module named 'report.helpers'\n"
    assert classify(run(2, stdout=text), CTX) is None


def test_no_tests_usage_errors_and_missing_commands() -> None:
    empty = classify(run(5), CTX)
    assert empty is not None and "collected no tests" in empty.cause
    usage = classify(
        run(4, stderr="ERROR: usage: pytest\npytest: error: unrecognized arguments: --cov"), CTX
    )
    assert usage is not None and "unrecognized arguments: --cov" in usage.cause
    missing = classify(run(127, stderr="sh: 1: nosetests: not found\n"), CTX)
    assert missing is not None and missing.cause.startswith("`nosetests` was not found")


def test_code_for_another_python_is_an_environment_problem() -> None:
    text = (
        "legacy/__init__.py:3: in <module>\n"
        "E   ImportError: cannot import name 'Mapping' from 'collections'\n"
    )
    problem = classify(run(2, stdout=text), Context({}, frozenset({"legacy"}), python="3.11"))
    assert problem is not None and "does not import on Python 3.11" in problem.cause
    gone = classify(run(2, stdout="E   ModuleNotFoundError: No module named 'distutils'\n"), CTX)
    assert gone is not None and "no longer has" in gone.cause


def test_a_real_failing_test_is_not_an_environment_problem() -> None:
    failed = {
        "tests/test_a.py::test_x": TestOutcome(
            "tests/test_a.py::test_x", TestStatus.FAILED, 1.0, "assert 1 == 2"
        )
    }
    assert classify(run(1, tests=failed), CTX) is None


def test_identical_collection_errors_before_and_after() -> None:
    error = {
        "tests/test_a.py": TestOutcome("tests/test_a.py", TestStatus.ERROR, 0.0, "ImportError: x")
    }
    assert same_collection_errors(run(2, tests=error), run(2, tests=error)) == ["tests/test_a.py"]
    changed = {
        "tests/test_a.py": TestOutcome("tests/test_a.py", TestStatus.ERROR, 0.0, "NameError: y")
    }
    assert same_collection_errors(run(2, tests=error), run(2, tests=changed)) == []


def test_own_modules_include_src_layout() -> None:
    assert own_modules(["src/shapes/__init__.py", "setup.py", "tests/test_a.py"]) == {
        "shapes",
        "setup",
        "tests",
    }

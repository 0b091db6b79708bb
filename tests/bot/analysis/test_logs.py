"""Tests for parse_failures over real pytest, traceback and GitHub Actions samples."""

from pathlib import Path

import pytest

from bot.analysis.failures import Frame
from bot.analysis.logs import parse_failures

LOGS = Path(__file__).parents[2] / "data" / "logs"


def load(name: str) -> str:
    return (LOGS / name).read_text(encoding="utf-8")


def test_long_tracebacks_give_one_failure_per_test_with_the_innermost_frame_in_the_code():
    failures = parse_failures(load("pytest_long_off_by_one.txt"))
    assert [f.test_id for f in failures] == [
        "tests/test_differences.py::test_differences_of_a_rising_series",
        "tests/test_differences.py::test_differences_of_one_value_is_empty",
        "tests/test_differences.py::test_largest_jump_ignores_direction",
    ]
    assert {(f.exc_type, f.message) for f in failures} == {
        ("IndexError", "list index out of range")
    }
    assert failures[2].frames == [
        Frame(
            "tests/test_differences.py",
            13,
            "test_largest_jump_ignores_direction",
            "assert largest_jump([10, 2, 5]) == 8",
        ),
        Frame(
            "series/differences.py",
            14,
            "largest_jump",
            "return max((abs(step) for step in differences(values)), default=0)",
        ),
        Frame("series/differences.py", 8, "differences", "steps.append(values[i + 1] - values[i])"),
    ]


def test_short_tracebacks_keep_function_and_code():
    failures = parse_failures(load("pytest_short_typo_attribute.txt"))
    assert len(failures) == 2
    inner = failures[0].innermost_repo_frame
    assert inner == Frame(
        "shop/cart.py",
        22,
        "total",
        "return sum(line.unit_price_cents * line.quantity for line in self.itmes)",
    )
    assert failures[0].exc_type == "AttributeError"
    assert failures[0].message == "'Cart' object has no attribute 'itmes'"


def test_assertion_in_a_parametrized_test_keeps_the_parameter_id_and_the_comparison():
    [failure] = parse_failures(load("pytest_assertion_parametrized.txt"))
    assert failure.test_id == "tests/test_letters.py::test_letter_grade_boundaries[90-A]"
    assert (failure.exc_type, failure.message) == ("AssertionError", "assert 'B' == 'A'")
    assert failure.frames[-1].file == "tests/test_letters.py"


def test_line_mode_maps_absolute_ci_paths_to_the_repository_and_pairs_with_the_summary():
    failures = parse_failures(load("pytest_line_missing_import.txt"))
    assert failures[0].test_id == ("tests/test_slugs.py::test_punctuation_and_case_are_dropped")
    assert {f.frames[0].file for f in failures} == {"textkit/slugs.py"}
    assert {f.message for f in failures} == {"name 're' is not defined"}


def test_collection_error_is_a_failure_of_the_test_module():
    [failure] = parse_failures(load("pytest_collection_error.txt"))
    assert failure.test_id == "tests/test_config.py"
    assert failure.exc_type == "ModuleNotFoundError"
    assert failure.message == "No module named 'yaml_tools_missing'"
    assert failure.innermost_repo_frame == Frame(
        "app/config.py", 1, "<module>", "import yaml_tools_missing"
    )
    assert not failure.frames[0].in_repo  # importlib, from the CI's Python install


def test_syntax_error_points_at_the_broken_source_line():
    [failure] = parse_failures(load("pytest_syntax_error.txt"))
    assert (failure.exc_type, failure.message) == ("SyntaxError", "expected ':'")
    assert failure.innermost_repo_frame == Frame("app/calc.py", 3, "", "for x in xs")
    assert [f.in_repo for f in failure.frames].count(True) == 2


def test_verbose_output_parses_like_the_default():
    [failure] = parse_failures(load("pytest_verbose_none.txt"))
    assert failure.test_id == "tests/test_names.py::test_a_missing_name_has_no_initials"
    assert failure.message == "'NoneType' object has no attribute 'split'"


def test_chained_python_traceback_keeps_the_causes_and_strips_the_checkout_prefix():
    [failure] = parse_failures(load("python_chained_traceback.txt"))
    assert (failure.exc_type, failure.message) == ("KeyError", "'default_port'")
    assert failure.test_id is None
    assert [c.exc_type for c in failure.causes] == ["json.decoder.JSONDecodeError", "ValueError"]
    assert failure.causes[1].frames[-1] == Frame(
        "svc/loader.py", 8, "read_config", 'raise ValueError(f"config is not JSON: {exc}") from exc'
    )
    json_frames = [f for f in failure.causes[0].frames if "json/" in f.file]
    assert json_frames and not any(f.in_repo for f in json_frames)


def test_actions_log_with_two_jobs_timestamps_and_colours():
    failures = parse_failures(load("actions_two_jobs.txt"))
    assert [f.test_id for f in failures] == [
        "tests/test_cart.py::test_an_empty_cart_costs_nothing",
        "tests/test_cart.py::test_total_multiplies_price_by_quantity",
        "tests/test_letters.py::test_letter_grade_boundaries[90-A]",
    ]
    assert failures[0].frames[-1].file == "shop/cart.py"
    assert "\x1b[" not in failures[0].output
    assert "2024-05-14T" not in failures[2].output


def test_summary_only_output_still_names_the_test_and_exception():
    text = (
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_api.py::TestClient::test_get - KeyError: 'id'\n"
        "========================= 1 failed, 3 passed in 0.51s ==========================\n"
    )
    [failure] = parse_failures(text)
    assert (failure.test_id, failure.exc_type, failure.message) == (
        "tests/test_api.py::TestClient::test_get",
        "KeyError",
        "'id'",
    )


def test_pip_resolution_error_in_ci_is_a_failure_without_a_test():
    text = (
        "2024-05-14T10:00:00.0000000Z ##[group]Run pip install -r requirements.txt\n"
        "2024-05-14T10:00:01.0000000Z ERROR: Could not find a version that satisfies the "
        "requirement numpy==9.9.9 (from versions: 1.26.4, 2.0.0)\n"
        "2024-05-14T10:00:01.0000000Z ##[error]Process completed with exit code 1.\n"
    )
    [failure] = parse_failures(text)
    assert failure.exc_type == "DependencyInstallError"
    assert "numpy==9.9.9" in failure.message


def test_repo_root_turns_an_unknown_absolute_prefix_into_a_relative_path(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    text = (
        "Traceback (most recent call last):\n"
        '  File "/srv/build/42/pkg/mod.py", line 1, in <module>\n'
        "    x = 1 / 0\n"
        "ZeroDivisionError: division by zero\n"
    )
    [failure] = parse_failures(text, repo_root=tmp_path)
    assert failure.frames == [Frame("pkg/mod.py", 1, "<module>", "x = 1 / 0")]


@pytest.mark.parametrize("text", ["", "all good\n", "===== 3 passed in 0.01s =====\n"])
def test_text_without_failures_gives_none(text):
    assert parse_failures(text) == []

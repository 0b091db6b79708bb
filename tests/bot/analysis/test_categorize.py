"""Tests for the rule-based failure categorizer."""

import pytest

from bot.analysis.categorize import categorize
from bot.analysis.failures import Category, Failure


@pytest.mark.parametrize(
    ("exc_type", "message", "expected"),
    [
        ("SyntaxError", "expected ':'", Category.SYNTAX),
        ("IndentationError", "unexpected indent", Category.SYNTAX),
        ("ImportError", "cannot import name 'load' from 'app.config'", Category.IMPORT),
        ("ModuleNotFoundError", "No module named 'json5'", Category.DEPENDENCY),
        ("ModuleNotFoundError", "No module named 'app.helpers'", Category.IMPORT),
        ("ModuleNotFoundError", "No module named 'tomllib'", Category.IMPORT),
        (
            "DependencyInstallError",
            "No matching distribution found for numpy==9",
            Category.DEPENDENCY,
        ),
        ("NameError", "name 're' is not defined", Category.NAME_ATTRIBUTE),
        ("AttributeError", "'Cart' object has no attribute 'itmes'", Category.NAME_ATTRIBUTE),
        ("UnboundLocalError", "cannot access local variable 'x'", Category.NAME_ATTRIBUTE),
        ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'", Category.TYPE),
        ("IndexError", "list index out of range", Category.INDEX_KEY),
        ("KeyError", "'user_id'", Category.INDEX_KEY),
        ("AssertionError", "assert 'B' == 'A'", Category.ASSERTION),
        ("RecursionError", "maximum recursion depth exceeded", Category.TIMEOUT_RECURSION),
        ("Failed", "Timeout >10.0s", Category.TIMEOUT_RECURSION),
        ("requests.exceptions.ConnectionError", "Max retries exceeded with url", Category.FLAKY),
        ("ConnectionResetError", "[Errno 104] Connection reset by peer", Category.FLAKY),
        ("OSError", "Temporary failure in name resolution", Category.FLAKY),
        ("RuntimeError", "something odd", Category.UNKNOWN),
    ],
)
def test_rules(exc_type, message, expected):
    assert categorize(Failure("t", exc_type, message)) == expected


def test_a_repository_package_missing_is_an_import_problem_not_a_dependency():
    failure = Failure(None, "ModuleNotFoundError", "No module named 'shop'")
    assert categorize(failure) == Category.DEPENDENCY
    assert categorize(failure, local_packages=frozenset({"shop"})) == Category.IMPORT

"""The static policy and the measurement rules as pure functions over before/after sources."""

from __future__ import annotations

import pytest

from runner.measurement import measured_kind, measurement_findings
from runner.policy import policy_findings


def rules(before: str | None, after: str, allow_dangerous: bool = False) -> list[str]:
    found = policy_findings({"pkg/mod.py": (before, after)}, allow_dangerous)
    return [f"{f.rule}:{f.line}" for f in found]


def test_only_uses_the_candidate_adds_count() -> None:
    old = "import os\n\n\ndef f():\n    os._exit(1)\n"
    assert rules(old, old + "\n\ndef g():\n    return 1\n") == []
    assert rules(old, old + "\n\ndef g():\n    os._exit(0)\n") == ["process-exit:9"]


def test_exits_count_at_import_time_but_not_in_functions_or_a_main_guard() -> None:
    assert rules("", "import sys\n\nsys.exit(0)\n") == ["process-exit:3"]
    assert rules("", "import sys\n\n\ndef main():\n    sys.exit(0)\n") == []
    guarded = "import sys\n\nif __name__ == '__main__':\n    sys.exit(0)\n"
    assert rules("", guarded) == []


def test_ways_around_the_rules_are_rules_too() -> None:
    assert rules("", "import os\n\ngetattr(os, '_exit')(0)\n") == ["dynamic-code:3"]
    assert rules("", "x = eval('1')\n") == ["dynamic-code:1"]
    assert rules("", "from os import _exit as leave\n") == ["process-exit:1"]
    assert rules("", "def f(frame):\n    return frame.f_back\n") == ["introspection:2"]
    assert rules("", "PATH = '/proc/1/environ'\n") == ["proc-access:1"]
    assert rules("", "class A:\n    __eq__ = lambda self, other: True\n") == ["always-equal:2"]


def test_only_the_dangerous_rule_can_be_lifted() -> None:
    assert rules("", "import subprocess\n") == ["dangerous:1"]
    assert rules("", "import subprocess\n", allow_dangerous=True) == []
    assert rules("", "import ctypes\n", allow_dangerous=True) == ["native-code:1"]


def test_code_that_no_longer_parses_is_a_finding() -> None:
    assert rules("x = 1\n", "x = (\n") == ["unparsable:1"]


def test_what_counts_as_the_measurement() -> None:
    kinds = {
        "tests/helpers.py": "test-file",
        "pkg/test_mod.py": "test-file",
        "deep/a/conftest.py": "test-config",
        "tox.ini": "test-config",
        ".github/workflows/ci.yml": "ci-file",
        "pytest.py": "shadows-test-framework",
        "src/_pytest/runner.py": "shadows-test-framework",
        "site.pth": "shadows-test-framework",
        "pkg/core.py": None,
        "pyproject.toml": None,
    }
    assert {path: measured_kind(path) for path in kinds} == kinds


def test_pyproject_and_setup_cfg_count_only_their_test_sections() -> None:
    before = '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
    pin = before.replace('name = "x"', 'name = "x"\ndependencies = ["attrs<24"]')
    assert measurement_findings({"pyproject.toml": (before, pin)}) == []
    deselect = before.replace('"-q"', '"-q --deselect t.py::a"')
    found = measurement_findings({"pyproject.toml": (before, deselect)})
    assert [(f.rule, f.line) for f in found] == [("test-config", 5)]
    cfg = "[metadata]\nname = x\n[tool:pytest]\naddopts = -q\n"
    assert measurement_findings({"setup.cfg": (cfg, cfg.replace("x\n", "y\n"))}) == []
    assert measurement_findings({"setup.cfg": (cfg, cfg.replace("-q", "-q -x"))})


# A repository on a newer Python than ours (PEP 695 needs 3.12): the file never parsed here.
NEWER_SYNTAX = (
    "type Pair[T] = tuple[T, T]\n\n\ndef first[T](pair: Pair[T]) -> T:\n    return pair[1]\n"
)


def test_an_honest_fix_in_code_only_a_newer_python_parses_passes() -> None:
    fixed = NEWER_SYNTAX.replace("pair[1]", "pair[0]")
    assert policy_findings({"pairs.py": (NEWER_SYNTAX, fixed)}) == []


@pytest.mark.parametrize(
    ("added", "rule"),
    [
        ("    import os; os._exit(0)\n", "process-exit"),
        ("    import os as o\n", "dynamic-code"),  # an alias would hide o._exit from the scan
        ("    sys._getframe(1).f_locals\n", "introspection"),
        ("    import atexit\n", "process-exit"),
        ("    __builtins__['len'] = None\n", "builtins"),
    ],
)
def test_attacks_in_code_only_a_newer_python_parses_are_still_refused(
    added: str, rule: str
) -> None:
    after = NEWER_SYNTAX.replace("    return pair[1]\n", added + "    return pair[0]\n")
    findings = policy_findings({"pairs.py": (NEWER_SYNTAX, after)})
    assert rule in {f.rule for f in findings}
    assert all(f.line == 5 for f in findings)


def test_newer_syntax_in_a_file_that_parsed_before_is_refused_as_unparsable() -> None:
    before = "def first(pair):\n    return pair[1]\n"
    after = "type Pair = tuple\n" + before.replace("pair[1]", "pair[0]")
    assert [f.rule for f in policy_findings({"pairs.py": (before, after)})] == ["unparsable"]

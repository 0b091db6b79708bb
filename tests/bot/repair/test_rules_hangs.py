"""Hung tests: the rule engine tries the loop's condition and progress steps first."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from bot.analysis.failures import Category, Failure, Frame
from bot.analysis.logs import parse_failures
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory
from bot.repair.rules.engine import RuleEngine

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "bench" / "corpus" / "tokenizer"
LEXER = "tokenizer/lexer.py"
# The dump was captured from this very mutant: the whitespace branch no longer advances.
DUMP = (ROOT / "tests" / "data" / "logs" / "faulthandler_loop_sandbox.txt").read_text()
FIRST_CANDIDATES = 12


def _hung_tokenizer(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "tokenizer"
    shutil.copytree(CORPUS, root)
    original = (root / LEXER).read_text()
    lines = original.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "isspace" in line) + 1
    lines[index] = lines[index].replace("position += 1", "position += 0")
    (root / LEXER).write_text("".join(lines))
    return root, original


def _loop_lines(text: str) -> set[int]:
    """Lines of loop headers and of the statements inside loops."""
    lines: set[int] = set()
    for loop in ast.walk(ast.parse(text)):
        if isinstance(loop, ast.While | ast.For):
            lines |= {n.lineno for n in ast.walk(loop) if isinstance(n, ast.stmt)}
    return lines


def test_hung_loop_is_fixed_within_the_first_candidates_all_inside_loops(tmp_path: Path) -> None:
    root, original = _hung_tokenizer(tmp_path)
    failures = parse_failures(DUMP, root)
    ctx = RepairContext(root, failures, "pytest", Category.TIMEOUT_RECURSION, "")

    candidates = list(RuleEngine().propose(ctx, FIRST_CANDIDATES))

    mutated = (root / LEXER).read_text()
    fixed = [
        c for c in candidates if apply_diff_in_memory({LEXER: mutated}, c.diff)[LEXER] == original
    ]
    assert fixed, [c.description for c in candidates]
    assert {c.meta["line"] for c in candidates} <= _loop_lines(mutated)
    assert candidates[0].meta["template"] in {
        "compare",
        "boundary",
        "negate",
        "boolop",
        "off_by_one",
    }


def test_recursive_function_that_hangs_gets_base_case_candidates(tmp_path: Path) -> None:
    (tmp_path / "walk.py").write_text(
        "def steps(n):\n    if n == 0:\n        return 0\n    return 1 + steps(n - 2)\n"
    )
    frames = [Frame("tests/test_walk.py", 4, "test_odd"), Frame("walk.py", 4, "steps")]
    hang = Failure("tests/test_walk.py::test_odd", "Timeout", "still running", frames)
    ctx = RepairContext(tmp_path, [hang], "pytest", Category.TIMEOUT_RECURSION, "")

    templates = {c.meta["template"] for c in RuleEngine().propose(ctx, 40)}

    assert "base_case" in templates


def test_a_hang_outside_any_recursion_gets_no_base_case(tmp_path: Path) -> None:
    (tmp_path / "spin.py").write_text(
        "def spin(n):\n    while n != 0:\n        n -= 2\n    return n\n"
    )
    frames = [Frame("tests/test_spin.py", 4, "test_odd"), Frame("spin.py", 3, "spin")]
    hang = Failure("tests/test_spin.py::test_odd", "Timeout", "still running", frames)
    ctx = RepairContext(tmp_path, [hang], "pytest", Category.TIMEOUT_RECURSION, "")

    candidates = list(RuleEngine().propose(ctx, 40))

    assert candidates and all(c.meta["template"] != "base_case" for c in candidates)
    assert candidates[0].meta["line"] == 2  # the loop condition, above the line the dump caught

"""RuleEngine: localize the fault, apply fix templates there, and rank the patched files."""

from __future__ import annotations

import ast
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.analysis.failures import is_test_path
from bot.repair.base import CandidatePatch, RepairContext
from bot.repair.diffs import make_diff
from bot.repair.localize import Location, rank_locations
from bot.repair.rules.edits import Edit, Source
from bot.repair.rules.hints import Hints, hints_from
from bot.repair.rules.insertions import guard_edits, import_edits, missing_return_edits
from bot.repair.rules.names import module_names
from bot.repair.rules.recursion import base_case_edits, calls_itself
from bot.repair.rules.templates import expression_edits
from bot.repair.rules.variables import parameter_names, wrong_variable_edits

BASE_PRIORS = {
    "compare": 0.6, "arith": 0.5, "off_by_one": 0.5, "constant": 0.35, "negate": 0.4, "boolop": 0.4,
    "swap_args": 0.3, "rename": 0.5, "attribute": 0.9, "import": 0.2, "none_guard": 0.3,
    "empty_guard": 0.25, "missing_return": 0.3, "base_case": 0.1, "wrong_variable": 0.15,
}  # fmt: skip
PRIORS_BY_EXCEPTION = {
    "IndexError": {"off_by_one": 1.0, "compare": 0.7, "empty_guard": 0.6, "constant": 0.6},
    "NameError": {"import": 1.0, "rename": 0.95, "wrong_variable": 0.5},
    "UnboundLocalError": {"rename": 1.0, "wrong_variable": 0.9, "import": 0.5},
    "AttributeError": {"attribute": 1.0, "none_guard": 0.95},
    "TypeError": {
        "none_guard": 0.9, "swap_args": 0.8, "missing_return": 0.8, "wrong_variable": 0.7,
        "arith": 0.5,
    },
    "AssertionError": {
        "compare": 0.9, "arith": 0.8, "off_by_one": 0.8, "constant": 0.7, "negate": 0.6,
        "boolop": 0.6, "swap_args": 0.5, "missing_return": 0.6, "wrong_variable": 0.4,
    },
    # pytest.raises saw nothing: a guard's condition is too narrow
    "DID NOT RAISE": {
        "boolop": 0.9, "compare": 0.8, "negate": 0.7, "constant": 0.6, "off_by_one": 0.5,
        "wrong_variable": 0.4,
    },
    "RecursionError": {"base_case": 1.0, "off_by_one": 0.7, "arith": 0.6, "compare": 0.6},
    # a hung test: a loop whose condition never turns false, or a step that makes no progress
    "Timeout": {
        "negate": 1.0, "compare": 1.0, "boolop": 0.9, "off_by_one": 0.9, "arith": 0.9,
        "constant": 0.8, "base_case": 0.7, "wrong_variable": 0.3,
    },
    "ZeroDivisionError": {"empty_guard": 1.0, "off_by_one": 0.7, "constant": 0.6},
    "KeyError": {"constant": 0.5, "rename": 0.5},
}  # fmt: skip
MAX_LOCATIONS = 15
RAISING_GUARD_WEIGHTS = {"expected": 1.5, "other": 0.4}


@dataclass
class _Scored:
    score: float
    file: str
    line: int
    edit: Edit


class RuleEngine:
    """The built-in engine: no model, deterministic, a few milliseconds per candidate."""

    name = "rules"

    def __init__(
        self, time_budget_seconds: float = 10.0, max_locations: int = MAX_LOCATIONS
    ) -> None:
        self.time_budget_seconds = time_budget_seconds
        self.max_locations = max_locations

    def propose(self, ctx: RepairContext, limit: int) -> Iterator[CandidatePatch]:
        """Yield up to `limit` parseable single-edit patches, most likely first."""
        deadline = time.monotonic() + self.time_budget_seconds
        hints = hints_from(ctx.failures)
        kind = "DID NOT RAISE" if hints.expected_raises else hints.main_exc
        priors = {**BASE_PRIORS, **PRIORS_BY_EXCEPTION.get(kind, {})}
        if hints.main_exc == "AssertionError" and hints.none_in_assertion:
            priors["missing_return"] = 1.0
        locations = rank_locations(
            ctx.failures, ctx.repo_root, ctx.failing_tests, ctx.passing_tests
        )
        scored = self._score_edits(
            ctx.repo_root, locations[: self.max_locations], hints, priors, deadline
        )
        scored.sort(key=lambda s: (-s.score, s.file, s.line, s.edit.description))
        seen: set[tuple[str, str]] = set()
        produced = 0
        sources: dict[str, Source] = {}
        for item in scored:
            if produced >= limit or time.monotonic() > deadline:
                return
            source = sources.setdefault(item.file, Source(_read(ctx.repo_root, item.file) or ""))
            after = source.apply(item.edit)
            if (item.file, after) in seen or after == source.text:
                continue
            seen.add((item.file, after))
            try:
                ast.parse(after)
            except SyntaxError:
                continue
            produced += 1
            yield CandidatePatch(
                engine=self.name,
                diff=make_diff(item.file, source.text, after),
                description=f"{item.edit.description} in {item.file}",
                meta={
                    "template": item.edit.template,
                    "file": item.file,
                    "line": item.line,
                    "score": round(item.score, 6),
                },
            )

    def _score_edits(
        self,
        root: Path,
        locations: list[Location],
        hints: Hints,
        priors: dict[str, float],
        deadline: float,
    ) -> list[_Scored]:
        scored: list[_Scored] = []
        imports_added: set[str] = set()
        functions_done: set[tuple[str, int]] = set()
        repo_imports = _repo_from_imports(root) if hints.undefined_names else {}
        for location in locations:
            if (
                time.monotonic() > deadline
                or is_test_path(location.file)
                or not location.file.endswith(".py")
            ):
                continue
            text = _read(root, location.file)
            if text is None:
                continue
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            src = Source(text)
            statement = _statement_at(tree, location.line)
            function = _function_at(tree, location.line)
            edits: list[Edit] = []
            weight = 1.0
            if statement is not None:
                names, parameters = module_names(tree), parameter_names(tree)
                edits += expression_edits(src, statement, hints, names, parameters)
                edits += wrong_variable_edits(src, statement, function, "wrong_variable", 1.0)
                if hints.none_involved or hints.main_exc in ("IndexError", "ZeroDivisionError"):
                    edits += guard_edits(src, statement, function, hints)
                weight = _raising_guard_weight(statement, hints)
            if location.file not in imports_added and hints.undefined_names:
                imports_added.add(location.file)
                edits += import_edits(src, tree, hints, repo_imports)
            if function is not None and (location.file, function.lineno) not in functions_done:
                functions_done.add((location.file, function.lineno))
                none_returned = hints.none_involved or hints.none_in_assertion
                edits += missing_return_edits(src, function, none_returned)
                if hints.main_exc == "RecursionError" or (
                    hints.main_exc == "Timeout" and calls_itself(function)
                ):
                    edits += base_case_edits(src, function)
            for edit in edits:
                score = location.score * priors.get(edit.template, 0.1) * edit.prior
                if edit.start[0] == location.line:
                    score *= weight
                scored.append(_Scored(score, location.file, location.line, edit))
        return scored


def _raising_guard_weight(statement: ast.stmt, hints: Hints) -> float:
    """`if c: raise E` is suspect when a test expected E and saw none, less so otherwise."""
    if not isinstance(statement, ast.If):
        return 1.0
    raised = {
        _exception_name(node.exc)
        for node in statement.body
        if isinstance(node, ast.Raise) and node.exc is not None
    }
    if not raised:
        return 1.0
    if hints.expected_raises:
        return RAISING_GUARD_WEIGHTS["expected" if raised & set(hints.expected_raises) else "other"]
    return 1.0 if hints.main_exc in raised else RAISING_GUARD_WEIGHTS["other"]


def _exception_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _read(root: Path, relative: str) -> str | None:
    try:
        return (root / relative).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _statement_at(tree: ast.Module, line: int) -> ast.stmt | None:
    """The innermost statement that starts on `line`, else the innermost one spanning it."""
    best: ast.stmt | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
            starts_here = node.lineno == line
            if best is None or starts_here or (best.lineno != line and node.lineno >= best.lineno):
                if best is not None and best.lineno == line and not starts_here:
                    continue
                best = node
    return best


def _function_at(tree: ast.Module, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        spans = node.lineno <= line <= (node.end_lineno or 0)
        if spans and (best is None or node.lineno > best.lineno):
            best = node
    return best


def _repo_from_imports(root: Path) -> dict[str, str]:
    """`from m import x` lines already used somewhere in the repository, by imported name."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py"))[:2000]:
        if any(
            part.startswith(".") or part in ("venv", "node_modules")
            for part in path.relative_to(root).parts
        ):
            continue
        text = _read(root, str(path.relative_to(root)))
        try:
            tree = ast.parse(text or "")
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    if alias.asname is None and alias.name != "*":
                        found.setdefault(alias.name, f"from {node.module} import {alias.name}")
    return found

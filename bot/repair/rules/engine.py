"""RuleEngine: localise the fault by statement, apply fix templates there, search the patched
files by localisation score times template prior, screened and de-duplicated by normalised AST."""

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
from bot.repair.rules.edits import Edit
from bot.repair.rules.filters import nonsense, normalised
from bot.repair.rules.gather import FileView, function_edits, statement_edits
from bot.repair.rules.hints import Hints, hints_from
from bot.repair.rules.insertions import import_edits
from bot.repair.rules.priors import priors_for
from bot.repair.spectrum import rank_statements

MAX_LOCATIONS = 15
RAISING_GUARD_WEIGHTS = {"expected": 1.5, "other": 0.4}
PAIR_WEIGHT = 0.3  # a pair ranks below both of its parts
PAIR_POOL = 12  # the best single edits that may be combined in pairs
DEFAULT_TIME_BUDGET_S = 10.0


@dataclass
class _Scored:
    score: float
    file: str
    line: int
    edits: tuple[Edit, ...]

    @property
    def template(self) -> str:
        return "+".join(e.template for e in self.edits)

    @property
    def description(self) -> str:
        return "; ".join(e.description for e in self.edits)


class RuleEngine:
    """The built-in engine: no model, deterministic, a few milliseconds per candidate.

    `time_budget_seconds` bounds generation (verification is the pipeline's); `max_locations`
    how many ranked statements get templates; `pairs` whether two-edit candidates follow;
    `learnt_priors` replaces the template priors learnt from the corpus (bench/classic_priors).
    """

    name = "rules"

    def __init__(
        self,
        time_budget_seconds: float = DEFAULT_TIME_BUDGET_S,
        max_locations: int = MAX_LOCATIONS,
        pairs: bool = True,
        learnt_priors: dict[str, float] | None = None,
    ) -> None:
        self.time_budget_seconds = time_budget_seconds
        self.max_locations = max_locations
        self.pairs = pairs
        self.learnt_priors = learnt_priors

    def propose(self, ctx: RepairContext, limit: int) -> Iterator[CandidatePatch]:
        """Yield up to `limit` parseable, sensible, distinct patches, most likely first."""
        deadline = time.monotonic() + self.time_budget_seconds
        hints = hints_from(ctx.failures)
        kind = "DID NOT RAISE" if hints.expected_raises else hints.main_exc
        priors = priors_for(kind, hints.none_in_assertion, self.learnt_priors)
        frames = rank_locations(ctx.failures, ctx.repo_root, ctx.failing_tests, ctx.passing_tests)
        locations = rank_statements(frames, ctx.spectrum, ctx.repo_root)
        views: dict[str, FileView] = {}
        scored = self._score_edits(
            ctx.repo_root, locations[: self.max_locations], hints, priors, deadline, views
        )
        scored.sort(key=lambda s: (-s.score, s.file, s.line, s.description))
        if self.pairs:
            scored = _with_pairs(scored)
        seen: set[str] = {normalised(view.tree) for view in views.values()}
        produced = 0
        for item in scored:
            if produced >= limit or time.monotonic() > deadline:
                return
            view = views[item.file]
            after = _apply(view, item.edits)
            if after is None:
                continue
            try:
                tree = ast.parse(after)
            except SyntaxError:
                continue
            key = item.file + "\0" + normalised(tree)
            if key in seen or any(nonsense(view.tree, tree, e.start[0]) for e in item.edits):
                continue
            seen.add(key)
            produced += 1
            yield CandidatePatch(
                engine=self.name,
                diff=make_diff(item.file, view.src.text, after),
                description=f"{item.description} in {item.file}",
                meta={
                    "template": item.template,
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
        views: dict[str, FileView],
    ) -> list[_Scored]:
        scored: list[_Scored] = []
        imports_added: set[str] = set()
        repo_imports = _repo_from_imports(root) if hints.undefined_names else {}
        for location in locations:
            if (
                time.monotonic() > deadline
                or is_test_path(location.file)
                or not location.file.endswith(".py")
            ):
                continue
            view = views.get(location.file) or _view(root, location.file)
            if view is None:
                continue
            views[location.file] = view
            statement = _statement_at(view.tree, location.line)
            function = _function_at(view.tree, location.line)
            edits: list[Edit] = []
            weight = 1.0
            if statement is not None:
                edits += statement_edits(view, statement, function, hints)
                weight = _raising_guard_weight(statement, hints)
            if location.file not in imports_added and hints.undefined_names:
                imports_added.add(location.file)
                edits += import_edits(view.src, view.tree, hints, repo_imports)
            edits += function_edits(view, function, hints)
            for edit in edits:
                score = location.score * priors.get(edit.template, 0.1) * edit.prior
                if edit.start[0] == location.line:
                    score *= weight
                scored.append(_Scored(score, location.file, location.line, (edit,)))
        return scored


def _with_pairs(scored: list[_Scored]) -> list[_Scored]:
    """Singles, and pairs of the best singles: the same template twice on one line (both ends
    of a slice, both indexes), the one slip repeated that a single edit cannot fix."""
    pool = scored[:PAIR_POOL]
    pairs: list[_Scored] = []
    for index, first in enumerate(pool):
        for second in pool[index + 1 :]:
            a, b = first.edits[0], second.edits[0]
            if (
                first.file != second.file
                or a.template != b.template
                or a.start[0] != b.start[0]
                or not (a.end <= b.start or b.end <= a.start)
            ):
                continue
            score = min(first.score, second.score) * PAIR_WEIGHT
            pairs.append(_Scored(score, first.file, min(first.line, second.line), (a, b)))
    merged = scored + pairs
    merged.sort(key=lambda s: (-s.score, len(s.edits), s.file, s.line, s.description))
    return merged


def _apply(view: FileView, edits: tuple[Edit, ...]) -> str | None:
    text = view.src.text
    # Later edits first, so earlier offsets stay valid.
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        a, b = view.src.offset(edit.start), view.src.offset(edit.end)
        text = text[:a] + edit.replacement + text[b:]
    return None if text == view.src.text else text


def _view(root: Path, relative: str) -> FileView | None:
    text = _read(root, relative)
    if text is None:
        return None
    try:
        return FileView.parse(text)
    except (SyntaxError, ValueError):
        return None


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

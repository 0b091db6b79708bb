"""Fault localization: rank (file, line) locations by how suspicious the failures make them."""

from __future__ import annotations

import ast
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.analysis.failures import Failure, is_test_path

ENCLOSING_HEADER_WEIGHT = 0.7  # the loop or branch around a crashing line is often the bug
CALLED_FROM_TEST_WEIGHT = 0.4
TEST_FILE_WEIGHT = 0.05
CALL_DEPTH_DECAY = 0.5  # a function the code under test calls is less suspect than that code
MAX_CALL_DEPTH = 2
CHECKED_STORE_WEIGHT = 0.8  # `assert obj.attr == v` failed: whatever sets `.attr` is suspect
# A hung test: the loop it spins in never ends, so its condition and the statements that should
# move that condition towards false are more suspect than the line the dump caught it on.
HANG_LOOP_HEADER_WEIGHT = 1.5
HANG_PROGRESS_WEIGHT = 1.1
HANG_OUTER_LOOP_DECAY = 0.5
HANG_TYPES = {"Timeout"}

FunctionKey = tuple[str, int]  # (file, line of the def)


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    score: float
    function: str = ""


def rank_locations(
    failures: Iterable[Failure],
    repo_root: Path,
    failing_tests: Iterable[str] = (),
    passing_tests: Iterable[str] = (),
) -> list[Location]:
    """Most suspicious first: innermost in-repo frames, their enclosing headers, then callees.

    Each failing test adds to the locations it touches, so lines shared by many failures rise.
    Functions a failing test reaches (statically, through its helpers) share in the suspicion,
    scaled by how few passing tests reach them too (Ochiai over the static call graph).
    """
    failures = list(failures)
    scores: dict[tuple[str, int], float] = defaultdict(float)
    functions: dict[tuple[str, int], str] = {}
    trees = _TreeCache(repo_root)
    graph = _CallGraph(trees)
    for failure in failures:
        frames = [f for f in failure.frames if f.in_repo and f.file.endswith(".py")]
        for depth, frame in enumerate(reversed(frames)):
            weight = 1.0 / (1 + depth)
            if is_test_path(frame.file):
                weight *= TEST_FILE_WEIGHT
            key = (frame.file, frame.line)
            scores[key] += weight
            functions.setdefault(key, frame.function)
            tree = trees.get(frame.file)
            if tree is None or is_test_path(frame.file):
                continue
            for header in _enclosing_headers(tree, frame.line):
                scores[(frame.file, header)] += weight * ENCLOSING_HEADER_WEIGHT
            if failure.exc_type in HANG_TYPES:
                for line, hang_weight in _hang_suspects(tree, frame.line):
                    scores[(frame.file, line)] += weight * hang_weight
    failing_reach = [_reach_of_failure(graph, failure) for failure in failures]
    passing_reach = [graph.reach_of_test_id(test_id) for test_id in passing_tests]
    ochiai = _ochiai(failing_reach, passing_reach)
    for failure, reach in zip(failures, failing_reach, strict=True):
        checked = _checked_attributes(failure)
        for key, depth_weight in reach.items():
            node = graph.functions[key]
            weight = CALLED_FROM_TEST_WEIGHT * depth_weight * ochiai[key]
            for line in _statement_lines(node):
                scores[(key[0], line)] += weight
                functions.setdefault((key[0], line), node.name)
            for line in _lines_storing(node, checked):
                scores[(key[0], line)] += CHECKED_STORE_WEIGHT * depth_weight
    return ranked_locations(scores, functions)


def ranked_locations(
    scores: dict[tuple[str, int], float], functions: dict[tuple[str, int], str]
) -> list[Location]:
    """Locations outside the tests, most suspicious first (ties: by file and line)."""
    ranked = [
        Location(file, line, round(score, 6), functions.get((file, line), ""))
        for (file, line), score in scores.items()
        if not is_test_path(file)
    ]
    ranked.sort(key=lambda loc: (-loc.score, loc.file, loc.line))
    return ranked


def _reach_of_failure(graph: _CallGraph, failure: Failure) -> dict[FunctionKey, float]:
    if failure.test_id:
        reach = graph.reach_of_test_id(failure.test_id)
        if reach:
            return reach
    frames = [f for f in failure.frames if f.in_repo and f.file.endswith(".py")]
    innermost = frames[-1] if frames else None
    if innermost is None or not is_test_path(innermost.file):
        return {}
    return graph.reach_of_test_line(innermost.file, innermost.line)


def _checked_attributes(failure: Failure) -> set[str]:
    """Attributes read by the failing assertion in a test (`assert stats.low == 2` → `low`)."""
    frames = [f for f in failure.frames if f.in_repo and f.file.endswith(".py")]
    if not frames or not is_test_path(frames[-1].file) or not frames[-1].code:
        return set()
    try:
        tree = ast.parse(frames[-1].code.strip())
    except SyntaxError:
        return set()
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def _lines_storing(function: Function, attributes: set[str]) -> list[int]:
    if not attributes:
        return []
    return sorted(
        {
            node.lineno
            for node in ast.walk(function)
            if isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and node.attr in attributes
        }
    )


def _ochiai(
    failing: list[dict[FunctionKey, float]], passing: list[dict[FunctionKey, float]]
) -> dict[FunctionKey, float]:
    failed_by: dict[FunctionKey, int] = defaultdict(int)
    passed_by: dict[FunctionKey, int] = defaultdict(int)
    for reach in failing:
        for key in reach:
            failed_by[key] += 1
    for reach in passing:
        for key in reach:
            passed_by[key] += 1
    total_failed = max(1, len(failing))
    return {
        key: failed / math.sqrt(total_failed * (failed + passed_by[key]))
        for key, failed in failed_by.items()
    }


class _TreeCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.trees: dict[str, ast.Module | None] = {}
        self._files: list[str] | None = None

    def get(self, relative: str) -> ast.Module | None:
        if relative not in self.trees:
            path = self.root / relative
            try:
                self.trees[relative] = ast.parse(path.read_text(encoding="utf-8"))
            except (OSError, SyntaxError, ValueError):
                self.trees[relative] = None
        return self.trees[relative]

    def python_files(self) -> list[str]:
        if self._files is None:
            self._files = sorted(
                str(p.relative_to(self.root))
                for p in self.root.rglob("*.py")
                if not any(
                    part.startswith(".") or part in ("venv", "node_modules")
                    for part in p.relative_to(self.root).parts
                )
            )
        return self._files


Function = ast.FunctionDef | ast.AsyncFunctionDef


class _CallGraph:
    """Repository functions by name, and what a test reaches through its helpers and callees."""

    def __init__(self, trees: _TreeCache) -> None:
        self.trees = trees
        self.functions: dict[FunctionKey, Function] = {}
        self.by_name: dict[str, list[FunctionKey]] = defaultdict(list)
        self._indexed = False

    def _index(self) -> None:
        if self._indexed:
            return
        self._indexed = True
        for file in self.trees.python_files():
            if is_test_path(file):
                continue
            module = self.trees.get(file)
            if module is None:
                continue
            for node in ast.walk(module):
                if isinstance(node, ast.ClassDef):
                    # `Item(...)` runs `Item.__init__`
                    for item in node.body:
                        if isinstance(item, Function) and item.name == "__init__":
                            self.by_name[node.name].append((file, item.lineno))
                if isinstance(node, Function):
                    key = (file, node.lineno)
                    self.functions[key] = node
                    self.by_name[node.name].append(key)

    def reach_of_test_id(self, test_id: str) -> dict[FunctionKey, float]:
        file, _, rest = test_id.partition("::")
        name = rest.rsplit("::", 1)[-1].split("[", 1)[0]
        tree = self.trees.get(file) if file.endswith(".py") else None
        if tree is None or not name:
            return {}
        for node in ast.walk(tree):
            if isinstance(node, Function) and node.name == name:
                return self._reach(tree, node)
        return {}

    def reach_of_test_line(self, test_file: str, line: int) -> dict[FunctionKey, float]:
        tree = self.trees.get(test_file)
        if tree is None:
            return {}
        for node in ast.walk(tree):
            if isinstance(node, Function) and node.lineno <= line <= (node.end_lineno or 0):
                return self._reach(tree, node)
        return {}

    def _reach(self, test_tree: ast.Module, test: Function) -> dict[FunctionKey, float]:
        """Repository functions the test calls (weight 1), and what those call (decayed)."""
        self._index()
        helpers = {n.name: n for n in test_tree.body if isinstance(n, Function)}
        names: set[str] = set()
        pending, seen_helpers = [test], {test.name}
        while pending:
            for called in _called_names(pending.pop()):
                if called in helpers and called not in seen_helpers:
                    seen_helpers.add(called)
                    pending.append(helpers[called])
                names.add(called)
        reach: dict[FunctionKey, float] = {}
        frontier = {key for name in names for key in self.by_name.get(name, [])}
        weight = 1.0
        for _ in range(MAX_CALL_DEPTH + 1):
            next_frontier: set[FunctionKey] = set()
            for key in sorted(frontier):
                if key in reach:
                    continue
                reach[key] = weight
                for called in _called_names(self.functions[key]):
                    next_frontier.update(self.by_name.get(called, []))
            frontier, weight = next_frontier, weight * CALL_DEPTH_DECAY
        return reach


def _called_names(function: Function) -> set[str]:
    called: set[str] = set()
    for call in ast.walk(function):
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Name):
                called.add(call.func.id)
            elif isinstance(call.func, ast.Attribute):
                called.add(call.func.attr)
    return called


def _statement_lines(function: Function) -> list[int]:
    return sorted(
        {n.lineno for n in ast.walk(function) if isinstance(n, ast.stmt) and n is not function}
    )


def _enclosing_headers(tree: ast.Module, line: int) -> list[int]:
    headers = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.While | ast.If) and node.lineno < line <= (
            node.end_lineno or 0
        ):
            headers.append(node.lineno)
    return headers


def _hang_suspects(tree: ast.Module, line: int) -> list[tuple[int, float]]:
    """Loops around a hung line, innermost first: each header, and for `while` loops the
    statements that assign a name the condition reads (the loop's progress)."""
    loops = sorted(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.For | ast.While)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
        ),
        key=lambda node: -node.lineno,
    )
    suspects: list[tuple[int, float]] = []
    for depth, loop in enumerate(loops):
        decay = HANG_OUTER_LOOP_DECAY**depth
        suspects.append((loop.lineno, HANG_LOOP_HEADER_WEIGHT * decay))
        if isinstance(loop, ast.While):
            read = {n.id for n in ast.walk(loop.test) if isinstance(n, ast.Name)}
            for statement in _progress_statements(loop, read):
                suspects.append((statement.lineno, HANG_PROGRESS_WEIGHT * decay))
    return suspects


def _progress_statements(loop: ast.While, names: set[str]) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    for node in ast.walk(loop):
        if isinstance(node, ast.AugAssign | ast.Assign | ast.AnnAssign):
            targets: list[ast.expr] = (
                node.targets if isinstance(node, ast.Assign) else [node.target]
            )
            stored = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if stored & names:
                found.append(node)
    return found

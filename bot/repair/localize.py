"""Fault localization: rank (file, line) locations by how suspicious the failures make them."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.analysis.failures import Failure, is_test_path

ENCLOSING_HEADER_WEIGHT = 0.7  # the loop or branch around a crashing line is often the bug
CALLED_FROM_TEST_WEIGHT = 0.4
TEST_FILE_WEIGHT = 0.05


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
    `passing_tests` is accepted for spectrum ranking once coverage data exists; unused today.
    """
    scores: dict[tuple[str, int], float] = defaultdict(float)
    functions: dict[tuple[str, int], str] = {}
    trees = _TreeCache(repo_root)
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
        innermost = frames[-1] if frames else None
        if innermost is not None and is_test_path(innermost.file):
            for file, line, name in _callees_of_test(trees, innermost.file, innermost.line):
                scores[(file, line)] += CALLED_FROM_TEST_WEIGHT
                functions.setdefault((file, line), name)
    ranked = [
        Location(file, line, round(score, 6), functions.get((file, line), ""))
        for (file, line), score in scores.items()
        if not is_test_path(file)
    ]
    ranked.sort(key=lambda loc: (-loc.score, loc.file, loc.line))
    return ranked


class _TreeCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.trees: dict[str, ast.Module | None] = {}

    def get(self, relative: str) -> ast.Module | None:
        if relative not in self.trees:
            path = self.root / relative
            try:
                self.trees[relative] = ast.parse(path.read_text(encoding="utf-8"))
            except (OSError, SyntaxError, ValueError):
                self.trees[relative] = None
        return self.trees[relative]

    def python_files(self) -> list[str]:
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.rglob("*.py")
            if not any(part.startswith(".") or part in ("venv", "node_modules") for part in p.parts)
        )


def _enclosing_headers(tree: ast.Module, line: int) -> list[int]:
    headers = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.While | ast.If) and node.lineno < line <= (
            node.end_lineno or 0
        ):
            headers.append(node.lineno)
    return headers


def _callees_of_test(trees: _TreeCache, test_file: str, line: int) -> list[tuple[str, int, str]]:
    """Every statement line of the repository functions the failing test calls."""
    tree = trees.get(test_file)
    if tree is None:
        return []
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.lineno <= line <= (
            node.end_lineno or 0
        ):
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    func = call.func
                    if isinstance(func, ast.Name):
                        called.add(func.id)
                    elif isinstance(func, ast.Attribute):
                        called.add(func.attr)
    locations = []
    for file in trees.python_files():
        if is_test_path(file):
            continue
        module = trees.get(file)
        if module is None:
            continue
        for node in ast.walk(module):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in called:
                for statement in ast.walk(node):
                    if isinstance(statement, ast.stmt) and statement is not node:
                        locations.append((file, statement.lineno, node.name))
    return locations

"""Spectrum-based fault localisation: statements ranked by which tests ran them (Ochiai),
combined with the traceback and the data flow into the failing assertion's value."""

from __future__ import annotations

import ast
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.analysis.failures import is_test_path
from bot.repair.dataflow import returned_value_lines
from bot.repair.localize import Location, ranked_locations

LineKey = tuple[str, int]  # (file relative to the repository root, line)
SPECTRUM_WEIGHT = 1.0
FRAME_WEIGHT = 0.6  # traceback and static call-graph evidence, normalised to the top location
FLOW_WEIGHT = 0.35  # on a statement the returned value is computed from
UNEXECUTED_WEIGHT = 0.3  # a line no failing test ran can only be wrong by being absent


@dataclass
class Spectrum:
    """Per executed line: (failing tests that ran it, passing tests that ran it)."""

    lines: dict[LineKey, tuple[int, int]]
    failed: list[str]
    passed: int
    files: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.files = {file for file, _ in self.lines}

    def ochiai(self) -> dict[LineKey, float]:
        total_failed = max(1, len(self.failed))
        return {
            key: failed / math.sqrt(total_failed * (failed + passed))
            for key, (failed, passed) in self.lines.items()
            if failed
        }

    def passing_runs(self, key: LineKey) -> int:
        return self.lines.get(key, (0, 0))[1]


def rank_statements(
    frame_locations: list[Location], spectrum: Spectrum | None, repo_root: Path
) -> list[Location]:
    """Traceback/static locations merged with the spectrum and the returned values' data flow.

    Without a spectrum, functions the static evidence names still get their data flow, so a
    failing assertion in the test leads to the statements that computed the value it checked,
    not to the top of the function.
    """
    scores: dict[LineKey, float] = defaultdict(float)
    names: dict[LineKey, str] = {}
    top = max((loc.score for loc in frame_locations), default=0.0) or 1.0
    for loc in frame_locations:
        scores[(loc.file, loc.line)] += FRAME_WEIGHT * loc.score / top
        names[(loc.file, loc.line)] = loc.function
    suspicious = spectrum.ochiai() if spectrum else {}
    for key, value in suspicious.items():
        if not is_test_path(key[0]):
            scores[key] += SPECTRUM_WEIGHT * value
    files = {file for file, _ in scores if file.endswith(".py") and not is_test_path(file)}
    for file in sorted(files):
        try:
            tree = ast.parse((repo_root / file).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
            continue
        for function in _functions(tree):
            span = range(function.lineno, (function.end_lineno or function.lineno) + 1)
            ran = [(file, line) for line in span if (file, line) in suspicious]
            named = [(file, line) for line in span if (file, line) in scores]
            if not ran and not named:
                continue
            base = max((suspicious.get(k, 0.0) for k in ran), default=0.0) or max(
                scores[k] for k in named
            )
            for line in returned_value_lines(function):
                key = (file, line)
                weight = 1.0 if (spectrum is None or key in suspicious) else UNEXECUTED_WEIGHT
                scores[key] += FLOW_WEIGHT * base * weight
                names.setdefault(key, function.name)
    return ranked_locations(scores, names)


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]

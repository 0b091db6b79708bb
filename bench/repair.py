"""Repair benchmark: the fix pipeline over the examples and a generated corpus of single-line bugs.

Run: `uv run python bench/repair.py [--limit N]`. Every verified winner is re-checked outside
the pipeline (applied to a fresh copy, tests run on the host) to count false `verified`s.
Ends with one JSON line: fixed/total, candidates tried per fix, median seconds per fix.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.mutants import generate_corpus  # noqa: E402
from bot.fix.pipeline import build_deps, run_fix  # noqa: E402
from bot.fix.search import candidate_number  # noqa: E402
from bot.fix.types import FixRequest, FixStatus  # noqa: E402
from bot.settings import load_settings  # noqa: E402

EXPECTED = {"green": FixStatus.NOTHING_TO_FIX, "no_fix": FixStatus.NO_FIX}


def host_tests_pass(project: Path, diff: str) -> bool:
    """Apply the diff to a fresh copy and run its tests on the host (our own trusted corpus)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "p"
        shutil.copytree(project, copy)
        applied = subprocess.run(
            ["patch", "-p1", "-s", "-d", str(copy)], input=diff, text=True, capture_output=True
        )
        if applied.returncode != 0:
            return False
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=copy,
            capture_output=True,
            timeout=120,
        )
        return tests.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=40, help="mutants to generate (default 40)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as corpus_dir:
        settings = load_settings(state_dir=Path(state))
        deps = build_deps(settings)
        examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "tests").is_dir())
        mutants = generate_corpus(Path(corpus_dir), limit=args.limit)
        rows = []
        for project in [*examples, *mutants]:
            expected = EXPECTED.get(project.name, FixStatus.VERIFIED)
            started = time.perf_counter()
            outcome = run_fix(FixRequest(repo_root=project), deps, lambda _e: None)
            seconds = time.perf_counter() - started
            false_verified = bool(
                outcome.winner and not host_tests_pass(project, outcome.winner.diff)
            )
            rows.append(
                {
                    "project": project.name,
                    "expected": expected.value,
                    "status": outcome.status.value,
                    "candidates_tried": len(outcome.candidates),
                    # Where the winner was found; the rest were tried for a second opinion.
                    "winner_at": candidate_number(outcome.winner.id) if outcome.winner else None,
                    "seconds": round(seconds, 2),
                    "false_verified": false_verified,
                    "undecided": "do not decide between the fixes" in outcome.message,
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr)

    fixable = [r for r in rows if r["expected"] == "verified"]
    fixed = [r for r in fixable if r["status"] == "verified"]
    figures = {
        "benchmark": "repair",
        "fixed": len(fixed),
        "total": len(fixable),
        "fix_rate": round(len(fixed) / len(fixable), 3) if fixable else 0.0,
        "examples_as_expected": sum(
            r["status"] == r["expected"] for r in rows if not r["project"].startswith("mutant")
        ),
        "examples_total": len(examples),
        "candidates_per_fix_median": statistics.median([r["candidates_tried"] for r in fixed])
        if fixed
        else None,
        "winner_found_at_median": statistics.median([r["winner_at"] for r in fixed])
        if fixed
        else None,
        "median_seconds_per_fix": statistics.median([r["seconds"] for r in fixed])
        if fixed
        else None,
        "false_verified": sum(r["false_verified"] for r in rows),
        "undecided": sum(r["undecided"] for r in rows),
        "engine": "cache+rules (no model configured)",
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

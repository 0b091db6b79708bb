"""Classic-algorithm benchmark: `truth fix` on small search, sort, graph, DP, string and number
programs, each with one planted bug (bench/classic/{tuned,heldout}/<name>/).

Run: `uv run python bench/classic.py [--split tuned|heldout|both] [--only NAME ...]`.
The engine sees a program's module and `tests/`; each verified winner is then re-checked on the
host against the program's hidden `check_<name>.py` (broader inputs, a reference implementation):
a winner that fails it is a *false verified* (plausible, not correct). `heldout/` is never used
for tuning templates or priors. Prints one row per program, then per part one JSON line:
fixed/total, false_verified, median seconds per program, median candidates per fix.

`--learn-priors` prints the template prior table of bot/repair/rules/priors.py, learnt from the
tuned part (see learn_priors).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.mutants import PYPROJECT  # noqa: E402
from bot.fix.search import candidate_number  # noqa: E402

CLASSIC = ROOT / "bench" / "classic"
MANIFEST = CLASSIC / "manifest.json"
CHECK_TIMEOUT_S = 60
BASELINE_TIMEOUT_S = 20.0


def manifest() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(MANIFEST.read_text())
    return data


def programs(split: str) -> list[str]:
    return sorted(n for n, e in manifest().items() if split in ("both", e["split"]))


def source_dir(name: str) -> Path:
    return CLASSIC / manifest()[name]["split"] / name


def write_project(name: str, dest: Path) -> Path:
    """What the engine gets: the module, its visible tests and a pyproject; not the check."""
    source = source_dir(name)
    dest.mkdir(parents=True)
    shutil.copy(source / f"{name}.py", dest / f"{name}.py")
    shutil.copytree(source / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "pyproject.toml").write_text(PYPROJECT.format(program=f"classic-{name}"))
    return dest


def hidden_check_passes(name: str, project: Path, diff: str) -> bool:
    """The winner applied to a fresh copy passes the visible tests and the hidden check."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / name
        shutil.copytree(project, copy)
        applied = subprocess.run(
            ["patch", "-p1", "-s", "-d", str(copy)], input=diff, text=True, capture_output=True
        )
        if applied.returncode != 0:
            return False
        shutil.copy(source_dir(name) / f"check_{name}.py", copy / f"check_{name}.py")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        try:
            tests = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests",
                 f"check_{name}.py"],
                cwd=copy, env=env, capture_output=True, timeout=CHECK_TIMEOUT_S,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return False
        return tests.returncode == 0


def figures(part: str, rows: list[dict[str, object]]) -> dict[str, object]:
    fixed = [r for r in rows if r["status"] == "verified" and not r["false_verified"]]
    seconds = [float(str(r["seconds"])) for r in rows]
    tried = [int(str(r["candidates_tried"])) for r in fixed]
    found_at = [int(str(r["winner_at"])) for r in fixed]
    return {
        "benchmark": "classic",
        "part": part,
        "fixed": len(fixed),
        "total": len(rows),
        "fixed_ratio": round(len(fixed) / len(rows), 3) if rows else 0.0,
        "false_verified": sum(bool(r["false_verified"]) for r in rows),
        "undecided": sum(bool(r.get("undecided")) for r in rows),
        "median_seconds_per_program": round(statistics.median(seconds), 2) if seconds else None,
        "candidates_per_fix_median": statistics.median(tried) if tried else None,
        "winner_found_at_median": statistics.median(found_at) if found_at else None,
        "engine": "cache+rules (no model configured)",
    }


def run(split: str, only: list[str]) -> None:
    from bot.fix.pipeline import build_deps, run_fix
    from bot.fix.types import FixRequest
    from bot.repair.fix_cache import FixCacheEngine
    from bot.repair.rules.engine import RuleEngine
    from bot.settings import load_settings

    names = [n for n in programs(split) if not only or n in only]
    rows_by_part: dict[str, list[dict[str, object]]] = {}
    with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as work:
        deps = build_deps(load_settings(state_dir=Path(state)))
        # The built-in engines only, as a new user meets them: no model configured.
        deps.engines = [FixCacheEngine(deps.db), RuleEngine()]
        for name in names:
            project = write_project(name, Path(work) / name)
            started = time.perf_counter()
            # Each program's suite runs in well under a second; a planted hang needs no more.
            outcome = run_fix(FixRequest(repo_root=project, timeout=BASELINE_TIMEOUT_S), deps)
            seconds = time.perf_counter() - started
            winner = outcome.winner
            false_verified = bool(winner and not hidden_check_passes(name, project, winner.diff))
            part = manifest()[name]["split"]
            row: dict[str, object] = {
                "program": name,
                "part": part,
                "kind": manifest()[name]["kind"],
                "status": outcome.status.value,
                "candidates_tried": len(outcome.candidates),
                # Where the winner was found; the rest were tried for a second opinion.
                "winner_at": candidate_number(winner.id) if winner else None,
                "seconds": round(seconds, 2),
                "false_verified": false_verified,
                "winner": winner.description if winner else None,
                "other_verified": sum(c.status == "verified" for c in outcome.candidates)
                - bool(winner),
                # Where every fix the tests accepted was found, the winner's included.
                "verified_at": sorted(
                    candidate_number(c.id) for c in outcome.candidates if c.status == "verified"
                ),
                "passing_calls_changed": winner.behaviour_changes if winner else None,
                # No fix posted: two verified fixes answered differently beside the tests.
                "undecided": "do not decide between the fixes" in outcome.message,
                # Passed the tests but refused as no fix (None for a value, breaks beside them).
                "refused": sum(
                    c.reason.startswith("passes the tests but is not a fix")
                    for c in outcome.candidates
                ),
            }
            rows_by_part.setdefault(part, []).append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    for part, rows in sorted(rows_by_part.items(), key=lambda kv: kv[0] != "tuned"):
        print(json.dumps(figures(part, rows)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["tuned", "heldout", "both"], default="both")
    parser.add_argument("--only", nargs="*", default=[], help="program names")
    parser.add_argument("--learn-priors", action="store_true")
    args = parser.parse_args()
    if args.learn_priors:
        from bench.classic_priors import learn_priors

        print(json.dumps(learn_priors(), indent=1))
        return
    run(args.split, args.only)


if __name__ == "__main__":
    main()

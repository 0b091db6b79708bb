"""Learns the rule engine's template priors from the tuned half of the classic corpus.

For each tuned program: the baseline and per-test coverage in a real sandbox, then every
candidate the engine generates with all priors equal. A template's prior is how often one of its
candidates is the intended fix (bench/classic/manifest.json) per candidate it generates,
smoothed: (intended + 0.5) / (generated + 5), relative to the best template, square-rooted.
Templates that flood the search with guesses end up low; rare but precise ones high.
"""

from __future__ import annotations

import ast
import math
import tempfile
from collections import Counter
from pathlib import Path

from bench.classic import manifest, programs, source_dir, write_project

SMOOTH_HITS = 0.5
SMOOTH_TRIES = 5.0
GENERATE = 400


def learn_priors() -> dict[str, float]:
    from bot.analysis.categorize import categorize
    from bot.analysis.failures import Category
    from bot.analysis.logs import parse_failures
    from bot.fix.pipeline import build_deps
    from bot.repair.base import RepairContext
    from bot.repair.coverage import collect_spectrum
    from bot.repair.diffs import apply_diff_in_memory
    from bot.repair.rules.engine import RuleEngine
    from bot.repair.rules.priors import LEARNT_PRIORS
    from bot.settings import load_settings
    from runner.snapshot import RepoSnapshot

    generated: Counter[str] = Counter()
    intended: Counter[str] = Counter()
    uniform = dict.fromkeys(LEARNT_PRIORS, 0.5)
    engine = RuleEngine(time_budget_seconds=60, pairs=False, learnt_priors=uniform)
    command = "python -m pytest -q"
    with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as work:
        deps = build_deps(load_settings(state_dir=Path(state)))
        for name in programs("tuned"):
            entry = manifest()[name]
            project = write_project(name, Path(work) / name)
            snapshot = RepoSnapshot.from_path(project)
            baseline = deps.sandbox.run(snapshot, command)
            failures = parse_failures(baseline.stdout + "\n" + baseline.stderr, repo_root=project)
            for failure in failures:
                failure.category = categorize(failure)
            ctx = RepairContext(
                repo_root=project,
                failures=failures,
                test_command=command,
                category=failures[0].category if failures else Category.UNKNOWN,
                signature="",
                failing_tests=baseline.failing_tests(),
                passing_tests=baseline.passing_tests(),
                spectrum=collect_spectrum(deps.sandbox, snapshot, command),
            )
            module = f"{name}.py"
            original = (source_dir(name) / module).read_text()
            goal = ast.dump(ast.parse(original.replace(entry["bug"], entry["fix"])))
            for candidate in engine.propose(ctx, GENERATE):
                template = str(candidate.meta["template"])
                generated[template] += 1
                after = apply_diff_in_memory({module: original}, candidate.diff).get(module, "")
                try:
                    if ast.dump(ast.parse(after)) == goal:
                        intended[template] += 1
                except SyntaxError:
                    continue
    rates = {t: (intended[t] + SMOOTH_HITS) / (generated[t] + SMOOTH_TRIES) for t in LEARNT_PRIORS}
    best = max(rates.values())
    # The square root keeps the range moderate: location evidence still counts between templates.
    ordered = sorted(rates.items(), key=lambda kv: -kv[1])
    return {t: round(math.sqrt(rate / best), 2) for t, rate in ordered}

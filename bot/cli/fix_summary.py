"""What `truth fix` prints when the session ends: the outcome once, in a few lines, and what to
do next; with `verbose`, every candidate too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.syntax import Syntax

from bot.fix.types import FixOutcome, FixStatus
from bot.fix.wording import describe, grouped_lines, plural
from runner.results import RunEnd

RULES = {
    FixStatus.VERIFIED: "[bold green]Verified fix",
    FixStatus.NO_FIX: "[bold yellow]No verified fix",
    FixStatus.NOTHING_TO_FIX: "[bold]Nothing to fix",
    FixStatus.ENVIRONMENT_ERROR: "[bold red]The tests cannot run as declared",
    FixStatus.FLAKY: "[bold yellow]Flaky: the failure did not show the same way twice",
}


@dataclass(frozen=True)
class SummaryContext:
    """What the summary needs beyond the outcome: where things are and where limits came from."""

    root: Path
    session_line: str
    time_limit: str  # "--timeout 3", "`timeout: 30` in .github/truth.yml", or the default's name
    model_configured: bool
    verbose: bool = False


def timed_out(outcome: FixOutcome) -> bool:
    baseline = outcome.baseline
    return (
        (baseline is not None and baseline.end is RunEnd.TIMEOUT)
        or any(c.status == "timeout" for c in outcome.candidates)
        or any(f.get("exc_type") == "Timeout" for f in outcome.failures)
    )


def next_steps(outcome: FixOutcome, context: SummaryContext) -> list[str]:
    """What to try after a run without a fix: the limit when time ran out, else a model."""
    steps = []
    if timed_out(outcome):
        steps.append(
            f"time ran out under the limit set by {context.time_limit}; if the tests are only "
            "slow, raise it with --timeout SECONDS (or `timeout:` in .github/truth.yml)."
        )
    if not context.model_configured:
        steps.append(
            "only the rule engine ran; a model (TRUTH_MODEL) also tries fixes that need "
            "reading the code."
        )
    steps.append("point at one test: --test 'python -m pytest -q TEST_ID'.")
    return steps


def print_summary(console: Console, outcome: FixOutcome, context: SummaryContext) -> None:
    console.rule(RULES[outcome.status])
    winner = outcome.winner
    if winner is not None:
        console.print(Syntax(winner.diff, "diff", background_color="default"))
        console.print(describe(winner), highlight=False, markup=False)
    console.print(outcome.message, highlight=False, markup=False)
    if winner is not None:
        console.print(f"Proof: {outcome.proof_text_path}  (JSON: {outcome.proof_json_path})")
        console.print(
            f"Apply it with:  git -C {context.root} apply {outcome.patch_path}", markup=False
        )
    elif outcome.status is FixStatus.NO_FIX and outcome.candidates:
        _print_candidates(console, outcome, context)
    if outcome.status is FixStatus.NO_FIX:
        for step in next_steps(outcome, context):
            console.print(f"Next: {step}", highlight=False, markup=False)
    console.print(context.session_line, highlight=False, markup=False)


def _print_candidates(console: Console, outcome: FixOutcome, context: SummaryContext) -> None:
    results = outcome.candidates
    lines = [describe(r) for r in results] if context.verbose else grouped_lines(results)
    console.print(f"How the {plural(len(results), 'candidate')} ended:", markup=False)
    for line in lines:
        console.print(f"  {line}", highlight=False, markup=False)
    if not context.verbose and len(results) > 1:
        console.print("Every candidate, one by one: --verbose, or the session page.")

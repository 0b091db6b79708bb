"""Score how a bug was fixed on the six-dimension rubric: a model through litellm when one is
configured, otherwise a deterministic built-in judge that reads the trace's own evidence."""

from __future__ import annotations

import itertools
import json
import logging
from dataclasses import dataclass
from typing import Any

from bot.traces.build import is_test_path
from bot.traces.schema import (
    RUBRIC_WEIGHTS,
    FileEdit,
    Judge,
    JudgeScores,
    RationaleNote,
    TestRun,
    Trace,
)

log = logging.getLogger(__name__)

BUILTIN_MODEL = "builtin"
BUILTIN_PROMPT_VERSION = "builtin-v1"
MODEL_PROMPT_VERSION = "judge-v1"
HUGE_EDIT_LINES = 400


class JudgeError(ValueError):
    """The model's answer could not be used as rubric scores."""


def weighted_overall(scores: dict[str, float]) -> float:
    total = sum(scores[name] * weight for name, weight in RUBRIC_WEIGHTS.items())
    return round(total / sum(RUBRIC_WEIGHTS.values()), 2)


def _clamp(value: float) -> float:
    return round(min(5.0, max(0.0, value)), 2)


@dataclass(frozen=True)
class Evidence:
    """What the built-in judge looks at, computed once from the events."""

    reproduced_before_fix: bool
    red_to_green: int
    reverted_edits: int
    tests_added: int
    failing_runs_after_fix_started: int
    source_commits: int
    test_runs: int
    final_run_passed: bool | None
    notes: int
    notes_with_reasoning: int
    steps: int  # commits, or source edits for client-captured traces without commits
    huge_edits: int
    deleted_tests: int
    redactions: int
    seconds_to_green: float | None


def gather_evidence(trace: Trace) -> Evidence:
    events = trace.events
    source_edits = [e for e in events if isinstance(e, FileEdit) and not is_test_path(e.file_path)]
    first_fix_seq = source_edits[0].seq if source_edits else None
    first_fix_commit = source_edits[0].commit if source_edits else None
    runs = [e for e in events if isinstance(e, TestRun)]
    # A failing run before the first source edit, or a test written in an earlier commit
    # than the first source change, both show the failure was pinned down before fixing.
    reproduced = any(
        r.num_failed and (first_fix_seq is None or r.seq < first_fix_seq) for r in runs
    )
    commit_order = list(dict.fromkeys(e.commit for e in events if e.commit))
    if not reproduced and first_fix_commit in commit_order:
        early = set(commit_order[: commit_order.index(first_fix_commit)])
        reproduced = any(
            isinstance(e, FileEdit) and is_test_path(e.file_path) and e.commit in early
            for e in events
        )
    red_to_green = sum(
        1
        for before, after in itertools.pairwise(runs)
        if before.num_failed and not after.num_failed
    )
    seen_hashes: dict[str, list[str | None]] = {}
    reverted = 0
    for edit in (e for e in events if isinstance(e, FileEdit)):
        history = seen_hashes.setdefault(edit.file_path, [])
        # Back to an earlier state of the file (not the one just before) means work undone.
        if edit.buffer_hash_after in history[:-1]:
            reverted += 1
        history.append(edit.buffer_hash_after)
    tests_added = sum(
        line.startswith("+") and "def test" in line
        for e in events
        if isinstance(e, FileEdit) and is_test_path(e.file_path)
        for line in e.diff_unified.splitlines()
    )
    notes = [e for e in events if isinstance(e, RationaleNote)]
    green_at = next((r.ts_client for r in runs if r.num_failed == 0 and r.num_passed), None)
    return Evidence(
        reproduced_before_fix=reproduced,
        red_to_green=red_to_green,
        reverted_edits=reverted,
        tests_added=tests_added,
        failing_runs_after_fix_started=sum(
            1 for r in runs if r.num_failed and first_fix_seq is not None and r.seq > first_fix_seq
        ),
        source_commits=len({e.commit for e in source_edits}),
        test_runs=len(runs),
        final_run_passed=(runs[-1].num_failed == 0) if runs else None,
        notes=len(notes),
        notes_with_reasoning=sum(
            1 for n in notes if n.structured.hypothesis or n.structured.observation
        ),
        steps=len(commit_order) or max(1, len(source_edits)),
        huge_edits=sum(
            1
            for e in events
            if isinstance(e, FileEdit) and e.lines_added + e.lines_removed > HUGE_EDIT_LINES
        ),
        deleted_tests=sum(
            1
            for e in events
            if isinstance(e, FileEdit) and e.change == "deleted" and is_test_path(e.file_path)
        ),
        redactions=trace.metrics.redactions,
        seconds_to_green=(green_at - events[0].ts_client) if green_at and events else None,
    )


def builtin_scores(ev: Evidence) -> dict[str, float]:
    reasoning_share = ev.notes_with_reasoning / ev.steps
    scores = {
        "problem_understanding": 1 + 2 * ev.reproduced_before_fix + 2 * min(1.0, reasoning_share),
        "causal_linking": 1
        + 2 * (ev.red_to_green > 0 or (ev.reproduced_before_fix and ev.tests_added > 0))
        + 2 * min(1.0, reasoning_share)
        - 0.5 * ev.reverted_edits,
        "experiment_design": 1
        + 1.5 * (ev.tests_added > 0)
        + 1.5 * ev.reproduced_before_fix
        + (ev.test_runs >= 2 or ev.tests_added >= 2),
        "efficiency": 5
        - 1.0 * ev.reverted_edits
        - 0.5 * max(0, ev.failing_runs_after_fix_started - 1)
        - 0.5 * max(0, ev.source_commits - 2),
        "reproducibility": 1
        + 2 * (ev.test_runs > 0 or ev.tests_added > 0)
        + (ev.final_run_passed is True)
        + (ev.tests_added > 0),
        "safety_hygiene": 5
        - 2 * (ev.redactions > 0)
        - 1 * (ev.huge_edits > 0)
        - 1.5 * (ev.deleted_tests > 0),
    }
    return {name: _clamp(value) for name, value in scores.items()}


def builtin_feedback(ev: Evidence) -> str:
    said = [
        "Built-in deterministic judge (no model configured).",
        "Failure was reproduced before the fix."
        if ev.reproduced_before_fix
        else "No failing test before the first source edit.",
        f"{ev.red_to_green} red-to-green cycle(s) over {ev.test_runs} test run(s).",
        f"{ev.tests_added} test(s) added.",
        f"{ev.reverted_edits} edit(s) reverted.",
        f"{ev.notes_with_reasoning} note(s) explain a cause or observation over {ev.steps} "
        "step(s).",
    ]
    if ev.seconds_to_green is not None:
        said.append(f"Green after {ev.seconds_to_green:.0f}s.")
    if ev.redactions:
        said.append(f"{ev.redactions} secret(s) had to be redacted.")
    if ev.deleted_tests:
        said.append(f"{ev.deleted_tests} test file(s) deleted.")
    return " ".join(said)


def builtin_judge(trace: Trace) -> Judge:
    ev = gather_evidence(trace)
    scores = builtin_scores(ev)
    return Judge(
        model=BUILTIN_MODEL,
        prompt_version=BUILTIN_PROMPT_VERSION,
        scores=JudgeScores(**scores, overall=weighted_overall(scores)),
        feedback_summary=builtin_feedback(ev),
    )


def _summary(trace: Trace, max_diff_chars: int = 1500) -> str:
    lines = [f"Task: {trace.task.title}", f"Repository: {trace.repo.name}"]
    for e in trace.events:
        if isinstance(e, FileEdit):
            lines.append(
                f"[{e.seq}] edit {e.file_path} (+{e.lines_added}/-{e.lines_removed})\n"
                f"{e.diff_unified[:max_diff_chars]}"
            )
        elif isinstance(e, TestRun):
            lines.append(
                f"[{e.seq}] tests: {e.num_passed} passed, {e.num_failed} failed "
                f"{e.failed_tests[:10]}"
            )
        elif isinstance(e, RationaleNote):
            lines.append(f"[{e.seq}] note: {e.structured.model_dump_json(exclude_none=True)}")
        else:
            lines.append(f"[{e.seq}] cmd: {e.cmd} -> exit {e.exit_code}")
    return "\n".join(lines)


def _messages(trace: Trace) -> list[dict[str, str]]:
    rubric = ", ".join(f"{k} ({w}%)" for k, w in RUBRIC_WEIGHTS.items())
    return [
        {
            "role": "system",
            "content": (
                "You grade how a developer fixed a bug, from a trace of their commits, edits, test "
                f"runs and notes. Score each dimension from 0 to 5: {rubric}. Answer with one JSON "
                "object: the six keys with numbers, and feedback_summary (two or three sentences)."
            ),
        },
        {"role": "user", "content": _summary(trace)},
    ]


def parse_model_scores(content: str) -> tuple[dict[str, float], str]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise JudgeError(f"judge answer is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise JudgeError("judge answer is not a JSON object")
    nested = data.get("scores")
    source: dict[str, Any] = nested if isinstance(nested, dict) else data
    scores: dict[str, float] = {}
    for name in RUBRIC_WEIGHTS:
        value = source.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 5:
            raise JudgeError(f"judge score {name!r} missing or outside 0..5: {value!r}")
        scores[name] = float(value)
    feedback = data.get("feedback_summary")
    if not isinstance(feedback, str) or not feedback.strip():
        raise JudgeError("judge answer has no feedback_summary")
    return scores, feedback.strip()


def model_judge(
    trace: Trace, model: str, api_base: str | None = None, timeout: float = 60.0
) -> Judge:
    import litellm  # slow import; only when a model is configured

    extra: dict[str, Any] = {"api_base": api_base} if api_base else {}
    response = litellm.completion(
        model=model,
        messages=_messages(trace),
        temperature=0.2,
        response_format={"type": "json_object"},
        timeout=timeout,
        **extra,
    )
    scores, feedback = parse_model_scores(response.choices[0].message.content or "")
    return Judge(
        model=model,
        prompt_version=MODEL_PROMPT_VERSION,
        # The weighted overall is ours, never the model's arithmetic.
        scores=JudgeScores(**scores, overall=weighted_overall(scores)),
        feedback_summary=feedback,
    )


def judge_trace(
    trace: Trace,
    model: str | None = None,
    fallback_model: str | None = None,
    api_base: str | None = None,
    timeout: float = 60.0,
) -> Judge:
    """Model first, then the fallback model, then the built-in judge (which says so)."""
    failures = []
    for candidate in (m for m in (model, fallback_model) if m):
        try:
            return model_judge(trace, candidate, api_base, timeout)
        except Exception as exc:  # a provider error or a bad answer moves to the next judge
            log.warning("judge model %s failed: %s", candidate, exc)
            failures.append(f"{candidate}: {type(exc).__name__}: {str(exc)[:200]}")
    verdict = builtin_judge(trace)
    if failures:
        verdict.feedback_summary = verdict.feedback_summary.replace(
            "judge (no model configured).", "judge."
        ) + (" Model judge unavailable (" + "; ".join(failures) + ").")
    return verdict

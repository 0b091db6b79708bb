"""How a candidate's result reads to a person: one line each, plain words, outcomes grouped.

Pure: the terminal, the session page and the console lines all word results through here, so
"still fails", "refused" or "ran out of time" mean the same thing wherever they are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.fix.types import CandidateResult

# A candidate's verdict in plain words (the verdict values stay in --json and the API).
STATUS_WORDS = {
    "verified": "passed",
    "failed": "tests still fail",
    "patch_failed": "did not apply",
    "timeout": "ran out of time",
    "resource_limit": "hit a resource limit",
    "rejected": "refused",
    "flaky": "flaky (red in a re-run)",
    "error": "could not be judged",
    "environment_error": "the tests could not run",
    "baseline_passes": "nothing failed before it",
}
# A session's status in plain words, for headings and badges.
SESSION_WORDS = {
    "running": "running",
    "verified": "verified fix",
    "no_fix": "no verified fix",
    "nothing_to_fix": "nothing to fix",
    "environment_error": "tests cannot run",
    "flaky": "flaky failure",
    "error": "stopped on an error",
}
# The analysis's failure categories as a reader would name them ("" hides "unknown").
CATEGORY_WORDS = {
    "syntax": "syntax error",
    "import": "import problem",
    "name_attribute": "wrong name or attribute",
    "type": "wrong type",
    "index_key": "missing index or key",
    "assertion": "wrong result",
    "timeout_recursion": "hang or runaway recursion",
    "dependency": "missing dependency",
    "flaky": "flaky",
    "unknown": "",
}
DETAIL_CHARS = 140  # the first line of a test's message, enough for an assertion's two sides
DESCRIPTION_CHARS = 110


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 candidate`, `2 candidates`; `many` for irregular words (`fix` → `fixes`)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def session_words(status: str) -> str:
    return SESSION_WORDS.get(status, status.replace("_", " "))


def category_words(category: str | None) -> str:
    return CATEGORY_WORDS.get(category or "unknown", (category or "").replace("_", " "))


def shown_number(candidate_id: str) -> str:
    """`c3` → `3`; an id of another shape is shown whole, never cut."""
    rest = candidate_id.removeprefix("c")
    return rest if rest.isdigit() else candidate_id


def first_line(text: str, limit: int = DETAIL_CHARS) -> str:
    """The first non-empty line, shortened at a word boundary; used for messages, never ids."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else line[: limit - 1]) + "…"


@dataclass(frozen=True)
class Outcome:
    """What happened to one candidate: the verdict and, when tests ran, the first test still
    red (the target first, else what it broke) with the first line of its message."""

    status: str
    test_id: str | None = None
    detail: str = ""
    also_failing: int = 0
    broke: bool = False  # the red test passed before the patch: a regression
    reason: str = ""

    @property
    def kind(self) -> str:
        """What groups outcomes: the exception type, or `assert` for an assertion."""
        if self.detail.startswith("assert"):
            return "assert"
        head = self.detail.split(":", 1)[0]
        return head if head.isidentifier() else self.detail

    def text(self) -> str:
        if self.status == "verified":
            return "passed"
        if self.test_id is None:
            return (
                f"{status_words(self.status)}: {self.reason}"
                if self.reason
                else (status_words(self.status))
            )
        verb = "breaks" if self.broke else "still fails"
        more = f" (and {plural(self.also_failing, 'other test')})" if self.also_failing else ""
        detail = f": {self.detail}" if self.detail else ""
        head = f"{verb} {self.test_id}{more}{detail}"
        return head if self.status == "failed" else f"{status_words(self.status)}, {head}"


def red_tests(tests: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(test id, message) of the failed and errored tests, in run order, from TestOutcome
    values or the stored records ({"status", "message"})."""
    found = []
    for test_id, outcome in tests.items():
        status = outcome.get("status") if isinstance(outcome, Mapping) else outcome.status
        message = outcome.get("message", "") if isinstance(outcome, Mapping) else outcome.message
        if str(status) in ("failed", "error"):
            found.append((test_id, str(message or "")))
    return found


def outcome(
    status: str,
    reason: str,
    red: Sequence[tuple[str, str]] = (),
    failing_before: Iterable[str] = (),
) -> Outcome:
    """The outcome from a verdict, its reason and the tests red after the patch."""
    if status in ("verified", "rejected", "patch_failed") or not red:
        return Outcome(status, reason=first_line(reason, 400))
    before = set(failing_before)
    targets = [r for r in red if r[0] in before]
    broken = [r for r in red if r[0] not in before]
    test_id, message = (targets or broken)[0]
    return Outcome(
        status,
        test_id,
        first_line(message),
        also_failing=len(red) - 1,
        broke=not targets and bool(before),
        reason=first_line(reason, 400),
    )


def outcome_of(result: CandidateResult) -> Outcome:
    verification = result.verification
    patched = verification.patched if verification else None
    baseline = verification.baseline if verification else None
    red = red_tests(patched.tests) if patched is not None else []
    before = baseline.failing_tests() if baseline is not None else []
    return outcome(result.status, result.reason, red, before)


def edit_text(description: str) -> str:
    return first_line(description, DESCRIPTION_CHARS) or "an edit"


def candidate_line(
    candidate_id: str, engine: str, description: str, result: Outcome, duration_ms: float
) -> str:
    """`Candidate 3 (rules): comparison `>` → `>=` on line 8 in a.py → still fails t::x: …`"""
    head = f"Candidate {shown_number(candidate_id)} ({engine}): {edit_text(description)}"
    tail = result.text()
    if result.status == "verified":
        tail += (
            f" in {duration_ms / 1000:.1f} s"
            if duration_ms >= 1000
            else (f" in {duration_ms:.0f} ms")
        )
    return f"{head} → {tail}"


def describe(result: CandidateResult) -> str:
    """The console line of a judged candidate."""
    return candidate_line(
        result.id, result.engine, result.description, outcome_of(result), result.duration_ms
    )


@dataclass
class OutcomeGroup:
    """Candidates that ended the same way: the same verdict, the same first red test, the same
    kind of error; `example` is the first one's detail."""

    status: str
    test_id: str | None
    kind: str
    example: Outcome
    ids: list[str] = field(default_factory=list)
    details: set[str] = field(default_factory=set)

    def text(self) -> str:
        count = len(self.ids)
        who = ", ".join(shown_number(i) for i in self.ids[:6]) + (", …" if count > 6 else "")
        shown = self.example.text()
        if len(self.details) > 1 and self.example.detail:  # same error, different values
            shown = shown.replace(f": {self.example.detail}", f", e.g. {self.example.detail}")
        return f"{shown} — {plural(count, 'candidate')} ({who})"


def group_outcomes(items: Iterable[tuple[str, Outcome]]) -> list[OutcomeGroup]:
    """(candidate id, outcome) pairs grouped, the largest group first, then by first seen."""
    groups: dict[tuple[str, str | None, str], OutcomeGroup] = {}
    for candidate_id, result in items:
        key = (result.status, result.test_id, result.kind if result.test_id else result.reason)
        group = groups.setdefault(key, OutcomeGroup(result.status, result.test_id, key[2], result))
        group.ids.append(candidate_id)
        group.details.add(result.detail)
    return sorted(groups.values(), key=lambda g: -len(g.ids))


def grouped_lines(results: Sequence[CandidateResult], limit: int = 5) -> list[str]:
    """A no-fix run in a few lines: each way candidates ended, with how many ended so."""
    groups = group_outcomes((r.id, outcome_of(r)) for r in results)
    lines = [g.text() for g in groups[:limit]]
    rest = sum(len(g.ids) for g in groups[limit:])
    if rest:
        lines.append(f"{plural(rest, 'more candidate')} ended in other ways")
    return lines

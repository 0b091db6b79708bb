"""Conversational repair: each failed candidate's test output goes back to the model for the next
try, while the session's model tokens and cost stay within a budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.repair.base import CandidateFeedback, RepairContext
from bot.repair.prompts import Message
from bot.repair.usage import Usage

OUTPUT_CHARS_PER_CANDIDATE = 2500
MAX_CANDIDATES_SHOWN = 3


@dataclass(frozen=True)
class ConversationBudget:
    """Rounds of ask → verify → tell per session, and the model spend they may reach."""

    max_rounds: int = 3
    max_tokens: int = 60_000  # prompt + completion tokens, all rounds and retries together
    max_cost_usd: float = 0.50

    def allows_another_round(self, rounds_done: int, usage: Usage) -> str:
        """ "" when another round may start, else why not."""
        if rounds_done >= self.max_rounds:
            return f"{self.max_rounds} rounds done"
        if usage.tokens_in + usage.tokens_out >= self.max_tokens:
            return f"token budget of {self.max_tokens} spent"
        if usage.cost_usd >= self.max_cost_usd:
            return f"cost budget of ${self.max_cost_usd:.2f} spent"
        return ""


@dataclass
class Conversation:
    """The messages so far, what was proposed, and the last round's answer and fixes."""

    messages: list[Message]
    rounds: int = 0
    proposed: set[str] = field(default_factory=set)
    last_diffs: list[str] = field(default_factory=list)
    last_answer: str = ""


def judged(ctx: RepairContext, diffs: Sequence[str]) -> list[CandidateFeedback]:
    """The pipeline's verdicts on these candidates, in the order they were proposed."""
    by_diff = {f.diff: f for f in ctx.feedback}
    return [by_diff[d] for d in diffs if d in by_diff]


def feedback_message(results: Sequence[CandidateFeedback]) -> Message:
    """What the last answer's candidates did in the sandbox, as the next user turn."""
    parts = [
        "None of those fixes was verified. Each was applied to the repository and the tests "
        "were run in the sandbox; here is what happened:"
    ]
    for number, result in enumerate(results[:MAX_CANDIDATES_SHOWN], start=1):
        output = result.output[-OUTPUT_CHARS_PER_CANDIDATE:].strip()
        parts.append(
            f"Fix {number}: {result.status}: {result.reason}\n"
            + (f"Test output (end):\n```\n{output}\n```" if output else "(no test output)")
        )
    parts.append(
        "Work out why they failed, then propose different fixes (not the same ones again), "
        "in the same JSON shape as before."
    )
    return {"role": "user", "content": "\n\n".join(parts)}

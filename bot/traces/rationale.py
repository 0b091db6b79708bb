"""Structure free text (commit messages, review comments) into plan/hypothesis/observation/
decision/next_step: explicit labels first, keyword rules next, a model only when configured."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from bot.traces.schema import Rationale

log = logging.getLogger(__name__)

FIELDS = ("plan", "hypothesis", "observation", "decision", "next_step")
PROMPT_VERSION = "rationale-v1"

_LABELS = {
    "plan": "plan",
    "hypothesis": "hypothesis",
    "cause": "hypothesis",
    "root cause": "hypothesis",
    "why": "hypothesis",
    "observation": "observation",
    "observed": "observation",
    "symptom": "observation",
    "problem": "observation",
    "decision": "decision",
    "fix": "decision",
    "solution": "decision",
    "change": "decision",
    "next": "next_step",
    "next step": "next_step",
    "next steps": "next_step",
    "todo": "next_step",
    "follow-up": "next_step",
}
_LABEL_LINE = re.compile(r"^\s*(?:[-*]\s*)?([A-Za-z][A-Za-z -]{1,14}?)\s*:\s*(.+)$")
_TRAILER = re.compile(r"^[A-Za-z-]+: .+<.+@.+>$|^(?:Signed-off-by|Co-authored-by|Change-Id):", re.I)

# First matching rule wins for a sentence; order encodes precedence.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "next_step",
        re.compile(r"\b(next|todo|follow[- ]up|later|will (?:now|then)|then we)\b", re.I),
    ),
    (
        "hypothesis",
        re.compile(
            r"\b(because|caused by|due to|suspect|probably|might|maybe|seems|"
            r"i think|likely|root cause|hypothes)",
            re.I,
        ),
    ),
    (
        "observation",
        re.compile(
            r"\b(fail(?:s|ed|ing)?|error|exception|traceback|crash|broken|"
            r"observ|reproduc|returns? wrong|off by one|regress)",
            re.I,
        ),
    ),
    (
        "plan",
        re.compile(
            r"^(try|attempt|wip|experiment|investigat|explore|plan|first)\b|"
            r"\b(going to|let's|try to)\b",
            re.I,
        ),
    ),
    (
        "decision",
        re.compile(
            r"^(fix|add|use|switch|change|revert|remove|handle|guard|return|"
            r"replace|update|refactor|rename|make|avoid|ensure)\b",
            re.I,
        ),
    ),
]


def _label_of(line: str) -> tuple[str, str] | None:
    match = _LABEL_LINE.match(line)
    field = _LABELS.get(match.group(1).strip().lower()) if match else None
    return (field, match.group(2).strip()) if match and field else None


def _sentences(text: str) -> list[str]:
    """Sentences across wrapped lines; a line that opens with a label starts a new block."""
    blocks: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _TRAILER.match(line):
            blocks.append([])
            continue
        if _label_of(line) or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    return [
        sentence.strip()
        for block in blocks
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(block))
        if sentence.strip()
    ]


def structure_by_rules(text: str) -> Rationale:
    found: dict[str, list[str]] = {f: [] for f in FIELDS}
    lines = text.strip().splitlines()
    # A commit subject says what was done ("Add failing test…"), so it is read as the
    # plan or decision it names before the keyword rules get a chance.
    subject_rules = [r for r in _RULES if r[0] in ("plan", "decision")] + _RULES
    subject, body = (lines[0], lines[1:]) if lines else ("", [])
    for rules, chunk in ((subject_rules, subject), (_RULES, "\n".join(body))):
        for sentence in _sentences(chunk):
            labelled = _label_of(sentence)
            if labelled:  # "Cause: … Next: add a test" labels mid-paragraph too
                found[labelled[0]].append(labelled[1])
                continue
            field = next((name for name, rule in rules if rule.search(sentence)), "decision")
            found[field].append(sentence)
    values = {f: " ".join(parts) or None for f, parts in found.items()}
    return Rationale(**values)


def _prompt(text: str) -> list[dict[str, str]]:
    return [
        {
            "role": "system",
            "content": "Split a developer's note about a bug fix into JSON with exactly the keys "
            "plan, hypothesis, observation, decision, next_step (strings or null). Quote the "
            "note's own words; invent nothing.",
        },
        {"role": "user", "content": text},
    ]


def structure_with_model(text: str, model: str, api_base: str | None = None) -> Rationale:
    """Ask the model; raises ValueError when its answer is not the JSON object asked for."""
    import litellm  # slow import, only paid when a model is configured

    kwargs: dict[str, Any] = {"api_base": api_base} if api_base else {}
    response = litellm.completion(
        model=model,
        messages=_prompt(text),
        temperature=0.2,
        response_format={"type": "json_object"},
        **kwargs,
    )
    content = response.choices[0].message.content or ""
    data = json.loads(content)
    if not isinstance(data, dict):
        raise ValueError("model answered with something other than a JSON object")
    return Rationale(**{f: (str(data[f]) if data.get(f) else None) for f in FIELDS})


def structure(
    text: str, model: str | None = None, api_base: str | None = None
) -> tuple[Rationale, str]:
    """Return the structured note and who structured it ('rules' or the model's name)."""
    if model:
        try:
            return structure_with_model(text, model, api_base), model
        except Exception as exc:  # any model failure falls back to the rules, never loses a note
            log.warning("rationale model %s failed (%s); using rules", model, type(exc).__name__)
    return structure_by_rules(text), "rules"

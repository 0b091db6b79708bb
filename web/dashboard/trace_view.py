"""A sealed trace as its page shows it: the timeline in plain words, the chain's state checked
here with this server's secret and key, and the judge's scores on their 0 to 5 scale."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings
from bot.traces import signing
from bot.traces.integrity import verify_document
from bot.traces.service import trace_secret

SCORE_NAMES = {
    "problem_understanding": "Problem understanding",
    "causal_linking": "Causal linking",
    "experiment_design": "Experiment design",
    "efficiency": "Efficiency",
    "reproducibility": "Reproducibility",
    "safety_hygiene": "Safety & hygiene",
}
RATIONALE_FIELDS = ("plan", "hypothesis", "observation", "decision", "next_step", "freeform")


@dataclass(frozen=True)
class TimelineItem:
    seq: int
    kind: str
    title: str
    when: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    body: str = ""  # a diff or a list of failed tests, folded
    commit: str | None = None


@dataclass(frozen=True)
class ChainState:
    intact: bool
    text: str
    key_id: str | None


@dataclass(frozen=True)
class Score:
    name: str
    value: float
    weight: int | None

    @property
    def percent(self) -> int:
        return round(100 * self.value / 5)


def _when(event: dict[str, Any]) -> str:
    stamp = event.get("ts_client") or event.get("ts_server")  # when it happened, if known
    try:
        moment = datetime.fromtimestamp(float(stamp or ""), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return ""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _item(event: dict[str, Any]) -> TimelineItem:
    kind, seq = str(event.get("type")), int(event.get("seq", 0))
    commit = str(event["commit"]) if event.get("commit") else None
    base = TimelineItem(seq=seq, kind=kind, title="", when=_when(event), commit=commit)
    if kind == "file_edit":
        title = (
            f"{str(event.get('change', 'modified')).capitalize()} {event.get('file_path')} "
            f"(+{event.get('lines_added', 0)} -{event.get('lines_removed', 0)})"
        )
        return replace(base, title=title, body=str(event.get("diff_unified") or ""))
    if kind == "test_run":
        failed = [str(t) for t in event.get("failed_tests") or []]
        title = (
            f"Tests ({event.get('source', 'client')}): {event.get('num_passed', 0)} passed, "
            f"{event.get('num_failed', 0)} failed"
        )
        return replace(base, title=title, body="\n".join(failed))
    if kind == "cmd_run":
        title = f"Ran `{event.get('cmd')}`: exit {event.get('exit_code')}"
        return replace(base, title=title)
    structured = event.get("structured") or {}
    notes = [
        (name.replace("_", " ").capitalize(), str(structured[name]))
        for name in RATIONALE_FIELDS
        if structured.get(name)
    ]
    who = f" by {event['author']}" if event.get("author") else ""
    return replace(base, title=f"Note{who} ({event.get('source', 'client')})", notes=notes)


def timeline(document: dict[str, Any]) -> list[TimelineItem]:
    return [_item(e) for e in document.get("events") or [] if isinstance(e, dict)]


def chain_state(document: dict[str, Any], settings: Settings) -> ChainState:
    """Checked here: the HMAC chain with this server's secret, and the signature with this
    server's key when the trace names it (a trace signed elsewhere is checked by its chain)."""
    integrity = document.get("integrity") or {}
    signed_by = (integrity.get("signature") or {}).get("key_id")
    public_key = signing.load_or_create_signing_key(settings).public_key()
    ours = signed_by == signing.key_id(public_key)
    result = verify_document(
        document, secret=trace_secret(settings), public_key=public_key if ours else None
    )
    if not result.ok:
        return ChainState(False, f"Tampered: {result.reason}.", signed_by)
    events = len(document.get("events") or [])
    checked = "the HMAC chain"
    if ours:
        checked += f" and the Ed25519 signature of this server's key {signed_by}"
    elif signed_by:
        checked += (
            f"; signed by key {signed_by}, not this server's: check it with "
            "`truth trace-verify FILE --public-key KEY`"
        )
    else:
        checked += "; not signed"
    return ChainState(True, f"Intact: {events} events; checked {checked}.", signed_by)


def scores(document: dict[str, Any]) -> tuple[list[Score], float | None, dict[str, Any]]:
    """Each rubric score (0 to 5) with its weight, the overall score, and the judge block."""
    judge = ((document.get("qa") or {}).get("judge")) or {}
    values = judge.get("scores") or {}
    weights = judge.get("weights") or {}
    rows = [
        Score(label, float(values[name]), weights.get(name))
        for name, label in SCORE_NAMES.items()
        if name in values
    ]
    overall = values.get("overall")
    return rows, float(overall) if overall is not None else None, judge


def parse_document(text: str | None) -> dict[str, Any] | None:
    try:
        document = json.loads(text or "")
    except ValueError:
        return None
    return document if isinstance(document, dict) else None

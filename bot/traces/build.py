"""Assembling a trace: numbering events, language guesses, redaction and metrics."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from bot.traces.schema import FileEdit, Metrics, Rationale, TestRun, Trace, new_id, utc_now
from runner.redact import redact_tree

RationaleStructurer = Callable[[str], tuple[Rationale, str]]

_LANGUAGES = {
    ".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".go": "go", ".rs": "rust", ".java": "java",
    ".rb": "ruby", ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cs": "csharp",
    ".md": "markdown", ".toml": "toml", ".yml": "yaml", ".yaml": "yaml", ".json": "json",
    ".sh": "shell", ".cfg": "ini", ".ini": "ini", ".txt": "text",
}  # fmt: skip


def language_of(path: str) -> str | None:
    name = path.rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    return _LANGUAGES.get(f".{suffix.lower()}") if dot and stem else None


def is_test_path(path: str) -> bool:
    name = PurePosixPath(path).name
    parts = PurePosixPath(path).parts
    return name.startswith("test_") or name.endswith("_test.py") or "tests" in parts[:-1]


class EventLog:
    """Hands out seq numbers in order, so a reconstructed trace has no gaps by construction.
    Events stay plain dicts until `assemble` validates the whole trace once (speed matters:
    a long history has thousands of events)."""

    def __init__(self, server_time: float | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        # One random prefix per log plus the seq keeps ids unique without a uuid per event.
        self.id_prefix = new_id("evt")
        self.redactions = 0
        self.server_time = server_time if server_time is not None else time.time()

    def _add(self, kind: str, ts_client: float, payload: dict[str, Any]) -> dict[str, Any]:
        # Redacted as it is added: during a reconstruction that overlaps git's own work.
        payload, count = redact_tree(payload)
        self.redactions += count
        seq = len(self.events)
        event = {
            "id": f"{self.id_prefix}-{seq}", "seq": seq, "ts_client": ts_client,
            "ts_server": self.server_time, "type": kind, **payload,
        }  # fmt: skip
        self.events.append(event)
        return event

    def file_edit(self, ts_client: float, **payload: Any) -> dict[str, Any]:
        payload.setdefault("language", language_of(payload["file_path"]))
        return self._add("file_edit", ts_client, payload)

    def cmd_run(self, ts_client: float, **payload: Any) -> dict[str, Any]:
        return self._add("cmd_run", ts_client, payload)

    def test_run(self, ts_client: float, **payload: Any) -> dict[str, Any]:
        return self._add("test_run", ts_client, payload)

    def note(
        self, ts_client: float, text: str, structurer: RationaleStructurer, **payload: Any
    ) -> dict[str, Any] | None:
        if not text.strip():
            return None
        structured, structured_by = structurer(text)
        payload.update(structured=structured.model_dump(), structured_by=structured_by)
        return self._add("rationale_note", ts_client, payload)


def assemble(header: dict[str, Any], log: EventLog) -> Trace:
    """Redact the header (the log's events already are), validate the trace once, complete it."""
    cleaned, count = redact_tree(header)
    trace = Trace.model_validate({**cleaned, "events": log.events})
    trace.metrics.redactions += count + log.redactions
    trace.metrics = compute_metrics(trace)
    trace.completed_at = trace.completed_at or utc_now()
    return trace


def redacted(trace: Trace) -> Trace:
    """A copy with secrets masked everywhere; the count adds to metrics.redactions."""
    document = trace.model_dump(mode="json")
    integrity = document.pop("integrity", None)
    cleaned, count = redact_tree(document)
    cleaned["integrity"] = integrity
    cleaned["metrics"]["redactions"] = trace.metrics.redactions + count
    return Trace.model_validate(cleaned)


def compute_metrics(trace: Trace) -> Metrics:
    events = trace.events
    edits = [e for e in events if isinstance(e, FileEdit)]
    times = [e.ts_client for e in events]
    return Metrics(
        num_events=len(events),
        num_commits=len({e.commit for e in events if e.commit}),
        files_touched=len({e.file_path for e in edits}),
        lines_added=sum(e.lines_added for e in edits),
        lines_removed=sum(e.lines_removed for e in edits),
        test_runs=sum(isinstance(e, TestRun) for e in events),
        redactions=trace.metrics.redactions,
        duration_s=(max(times) - min(times)) if times else None,
    )


def complete(trace: Trace) -> Trace:
    """Redact, then fill metrics and completed_at: the step before QA and sealing."""
    clean = redacted(trace)
    clean.metrics = compute_metrics(clean)
    clean.completed_at = clean.completed_at or utc_now()
    return clean

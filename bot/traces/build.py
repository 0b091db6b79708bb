"""Assembling a trace: numbering events, language guesses, redaction and metrics."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from bot.traces.redact import redact_tree
from bot.traces.schema import (
    CmdRun,
    EventBase,
    FileEdit,
    Metrics,
    Rationale,
    RationaleNote,
    TestRun,
    Trace,
    utc_now,
)

RationaleStructurer = Callable[[str], tuple[Rationale, str]]

_LANGUAGES = {
    ".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".go": "go", ".rs": "rust", ".java": "java",
    ".rb": "ruby", ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cs": "csharp",
    ".md": "markdown", ".toml": "toml", ".yml": "yaml", ".yaml": "yaml", ".json": "json",
    ".sh": "shell", ".cfg": "ini", ".ini": "ini", ".txt": "text",
}  # fmt: skip


def language_of(path: str) -> str | None:
    return _LANGUAGES.get(PurePosixPath(path).suffix.lower())


def is_test_path(path: str) -> bool:
    name = PurePosixPath(path).name
    parts = PurePosixPath(path).parts
    return name.startswith("test_") or name.endswith("_test.py") or "tests" in parts[:-1]


class EventLog:
    """Hands out seq numbers in order, so a reconstructed trace has no gaps by construction."""

    def __init__(self, server_time: float | None = None) -> None:
        self.events: list[EventBase] = []
        self.server_time = server_time if server_time is not None else time.time()

    def _add(self, cls: type[EventBase], ts_client: float, payload: dict[str, Any]) -> Any:
        event = cls(
            seq=len(self.events), ts_client=ts_client, ts_server=self.server_time, **payload
        )
        self.events.append(event)
        return event

    def file_edit(self, ts_client: float, **payload: Any) -> FileEdit:
        payload.setdefault("language", language_of(payload["file_path"]))
        return self._add(FileEdit, ts_client, payload)  # type: ignore[no-any-return]

    def cmd_run(self, ts_client: float, **payload: Any) -> CmdRun:
        return self._add(CmdRun, ts_client, payload)  # type: ignore[no-any-return]

    def test_run(self, ts_client: float, **payload: Any) -> TestRun:
        return self._add(TestRun, ts_client, payload)  # type: ignore[no-any-return]

    def note(
        self, ts_client: float, text: str, structurer: RationaleStructurer, **payload: Any
    ) -> RationaleNote | None:
        if not text.strip():
            return None
        structured, structured_by = structurer(text)
        payload.update(structured=structured, structured_by=structured_by)
        return self._add(RationaleNote, ts_client, payload)  # type: ignore[no-any-return]


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

"""Process logging: JSON lines (or text) carrying delivery, job and session ids, always redacted."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Literal

from runner.redact import RedactingFilter, redact

CONTEXT_KEYS = ("delivery_id", "job_id", "session_id")
_CONTEXT: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "truth_log_context", default=None
)


@contextlib.contextmanager
def log_context(**ids: str | int | None) -> Iterator[None]:
    """Within this block (and tasks it starts), every log line carries these ids."""
    known = {k: str(v) for k, v in ids.items() if v is not None and k in CONTEXT_KEYS}
    token = _CONTEXT.set({**(_CONTEXT.get() or {}), **known})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def current_context() -> dict[str, str]:
    return dict(_CONTEXT.get() or {})


class ContextFilter(logging.Filter):
    """Copies the current ids onto each record, so any formatter can use them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_CONTEXT.get() or {}).items():
            setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_KEYS:
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def configure_logging(
    log_format: Literal["text", "json"] = "text", level: int = logging.INFO
) -> logging.Handler:
    """Replace the root handlers with one stderr handler that redacts and adds the ids."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler

"""Error signatures: a hash of a failure that survives line, path, address and number changes."""

from __future__ import annotations

import hashlib
import re

from bot.analysis.failures import Failure

# Order matters: specific shapes (addresses, timestamps, paths) before bare numbers.
VOLATILE = [
    (re.compile(r"0x[0-9a-fA-F]+"), "<addr>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"(?:/tmp|/var/folders|/private/var)/[^\s'\"]*"), "<tmp>"),
    (re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.\-]+)+[\\/]([\w.\-]+\.py)"), r"\1"),
    (re.compile(r"\bline \d+"), "line <n>"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "<n>"),
    (re.compile(r"\s+"), " "),
]


def normalize_message(message: str) -> str:
    """The message with every volatile part replaced by a placeholder."""
    text = message.strip().splitlines()[0] if message.strip() else ""
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text.strip()


def signature(failure: Failure) -> str:
    """sha256 hex of exception type, innermost in-repo file and function, normalized message."""
    frame = failure.innermost_repo_frame
    where = ""
    if frame is not None:
        where = f"{frame.file.replace(chr(92), '/').rsplit('/', 1)[-1]}:{frame.function}"
    exc_type = failure.exc_type.rsplit(".", 1)[-1]
    material = "\x1f".join([exc_type, where, normalize_message(failure.message)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()

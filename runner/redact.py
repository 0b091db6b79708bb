"""The one secret redaction for proofs, traces and logs: token shapes and configured values."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

MASK = "[REDACTED]"
# Shorter configured values would mask ordinary words; settings validation asks for more anyway.
MIN_SECRET_LENGTH = 8

# Order matters: whole private key blocks first, then specific token shapes, then generic
# assignments, so a value is counted once.
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    (
        "private_key",
        re.compile(
            r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
            r".*?-----END \1-----",
            re.DOTALL,
        ),
        0,
    ),
    (
        "github_token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        0,
    ),
    ("truth_api_token", re.compile(r"\btet_[A-Za-z0-9_\-]{20,}"), 0),
    ("aws_access_key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), 0),
    # OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-api03-...) keys share the sk- stem.
    ("openai_anthropic_key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}"), 0),
    ("stripe_key", re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"), 0),
    ("slack_token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
    ("slack_webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"), 0),
    ("google_api_key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"), 0),
    ("google_oauth_token", re.compile(r"\bya29\.[0-9A-Za-z_\-]{20,}"), 0),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), 0),
    ("bearer", re.compile(r"(?i)\b(bearer)\s+([A-Za-z0-9._~+/=\-]{16,})"), 2),
    (
        "auth_header",
        re.compile(r"(?i)(authorization:\s*(?:token|basic|bearer)\s+)([A-Za-z0-9._~+/=\-]{4,})"),
        2,
    ),
    # scheme://user:password@host (database and cache URLs) — keep the user so the reader
    # sees whose login it was.
    ("url_password", re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]*:)([^\s@/]+)(@)"), 2),
    # key=value connection strings (libpq, ADO): `password=...` is caught by `assignment`.
    (
        "aws_secret",
        re.compile(r"(?i)(aws_secret_access_key\s*[=:]\s*[\"']?)([A-Za-z0-9/+=]{40})"),
        2,
    ),
    (
        "assignment",
        re.compile(
            # UPPER_CASE names are env-style settings; lower-case `*_key` is too often code.
            r"\b((?-i:[A-Z0-9_]*(?:_KEY|_SECRET|_TOKEN|_PASSWORD|_PWD))"
            r"|(?i:password|passwd|pwd|secret|api_key|apikey|access_token))"
            r"(\s*[=:]\s*[\"']?)([^\s\"'&;,]{4,})"
        ),
        3,
    ),
]

# Every pattern above needs one of these fragments (lower-cased), so plain substring checks
# rule most text out before the patterns run: diffs are large and almost always clean.
_FRAGMENTS = (
    "private key", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "tet_", "akia", "asia",
    "sk-", "k_live_", "k_test_", "xox", "aiza", "ya29.",
    "eyj", "bearer", "authorization", "://", "_key", "secret", "_token", "passw",
    "pwd", "apikey", "api_key", "access_token",
)  # fmt: skip
_ANY_FRAGMENT = re.compile("|".join(map(re.escape, _FRAGMENTS)))


class _ConfiguredSecrets:
    """Values of this process's own secrets (webhook, trace, OAuth, model keys, private key)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.values: frozenset[str] = frozenset()
        self.pattern: re.Pattern[str] | None = None

    def add(self, values: Iterable[str]) -> None:
        found = set()
        for value in values:
            value = value.strip()
            if len(value) >= MIN_SECRET_LENGTH:
                found.add(value)
            # A PEM key also leaks line by line (a log line, a wrapped traceback).
            if "-----BEGIN" in value:
                found.update(
                    line.strip()
                    for line in value.replace("\\n", "\n").splitlines()
                    if len(line.strip()) >= 16 and not line.startswith("-----")
                )
        with self._lock:
            merged = self.values | found
            if merged == self.values:
                return
            self.values = frozenset(merged)
            # Longest first, so a value that contains another is masked whole.
            ordered = sorted(merged, key=len, reverse=True)
            self.pattern = re.compile("|".join(map(re.escape, ordered)))

    def clear(self) -> None:
        with self._lock:
            self.values, self.pattern = frozenset(), None


_CONFIGURED = _ConfiguredSecrets()


def register_secrets(values: Iterable[str | None]) -> None:
    """Mask these exact values from now on, wherever redaction runs in this process."""
    _CONFIGURED.add(value for value in values if value)


def forget_registered_secrets() -> None:
    """Drop the registered values (tests, or a process that reloads its settings)."""
    _CONFIGURED.clear()


def _maybe_secret(text: str) -> bool:
    return _ANY_FRAGMENT.search(text.lower()) is not None


def redact_text(text: str) -> tuple[str, int]:
    """Return the text with secrets masked and how many were masked."""
    total = 0
    configured = _CONFIGURED.pattern
    if configured is not None:
        text, total = configured.subn(MASK, text)
    if not _maybe_secret(text):
        return text, total
    for _name, pattern, group in _PATTERNS:

        def mask(match: re.Match[str], group: int = group) -> str:
            nonlocal total
            if MASK in match.group(0):
                return match.group(0)
            total += 1
            if group == 0:
                return MASK
            start, end = match.span(group)
            base = match.start(0)
            whole = match.group(0)
            return whole[: start - base] + MASK + whole[end - base :]

        text = pattern.sub(mask, text)
    return text, total


def redact(text: str) -> str:
    """`text` with credential-looking substrings and configured secrets replaced by [REDACTED]."""
    return redact_text(text)[0]


def redact_tree(value: Any) -> tuple[Any, int]:
    """Redact every string (keys excluded) inside nested dicts and lists."""
    # One scan over all the strings usually proves the tree clean; only then walk it.
    joined = "\x00".join(_strings(value, []))
    configured = _CONFIGURED.pattern
    if not _maybe_secret(joined) and (configured is None or not configured.search(joined)):
        return value, 0
    return _redact_walk(value)


def _strings(value: Any, found: list[str]) -> list[str]:
    pending = [value]
    while pending:  # iterative: this runs once per event on every reconstruction
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def _redact_walk(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        total = 0
        out: dict[Any, Any] = {}
        for key, item in value.items():
            out[key], count = _redact_walk(item)
            total += count
        return out, total
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            cleaned, count = _redact_walk(item)
            items.append(cleaned)
            total += count
        return items, total
    return value, 0


class RedactingFilter(logging.Filter):
    """A log filter that formats each record's message and masks secrets in it and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Put a RedactingFilter on every handler of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())

"""Secret redaction, applied to every string of a trace before anything is stored."""

from __future__ import annotations

import re
from typing import Any

MASK = "[REDACTED]"

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
    ("aws_access_key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), 0),
    ("openai_key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}"), 0),
    ("stripe_key", re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"), 0),
    ("slack_token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
    ("slack_webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"), 0),
    ("google_api_key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"), 0),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), 0),
    ("bearer", re.compile(r"(?i)\b(bearer)\s+([A-Za-z0-9._~+/=\-]{16,})"), 2),
    (
        "auth_header",
        re.compile(r"(?i)(authorization:\s*(?:token|basic)\s+)([A-Za-z0-9._~+/=\-]{8,})"),
        2,
    ),
    # scheme://user:password@host — keep the user so the reader sees whose login it was.
    ("url_password", re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]+:)([^\s@/]+)(@)"), 2),
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
            r"|(?i:password|passwd|secret|api_key|apikey|access_token))"
            r"(\s*[=:]\s*[\"']?)([^\s\"'&;,]{4,})"
        ),
        3,
    ),
]


# Every pattern above needs one of these fragments (lower-cased), so plain substring checks
# rule most text out before the patterns run: diffs are large and almost always clean.
_FRAGMENTS = (
    "private key", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "asia",
    "sk-", "k_live_", "k_test_", "xox",
    "aiza", "eyj", "bearer", "authorization", "://", "_key", "secret", "_token", "passw",
    "_pwd", "apikey", "api_key", "access_token",
)  # fmt: skip


_ANY_FRAGMENT = re.compile("|".join(map(re.escape, _FRAGMENTS)))


def _maybe_secret(text: str) -> bool:
    return _ANY_FRAGMENT.search(text.lower()) is not None


def redact_text(text: str) -> tuple[str, int]:
    """Return the text with secrets masked and how many were masked."""
    if not _maybe_secret(text):
        return text, 0
    total = 0
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


def redact_tree(value: Any) -> tuple[Any, int]:
    """Redact every string (keys excluded) inside nested dicts and lists."""
    # One scan over all the strings usually proves the tree clean; only then walk it.
    if not _maybe_secret("\x00".join(_strings(value, []))):
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

"""Masks obvious credentials (tokens, keys, URL passwords) in text before it is kept or shown."""

from __future__ import annotations

import re

MASK = "[REDACTED]"

_PATTERNS = [
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}\b"),  # GitHub tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}\b"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{20,}\b"),  # OpenAI / Anthropic style API keys
    re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b"),  # Slack
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b"),  # JWT
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL),
]
# Keep the name, hide the value: `password=...`, `API_TOKEN: ...`, `Authorization: Bearer ...`.
_ASSIGNMENT = re.compile(
    r"(?i)\b([A-Z0-9_]*(?:token|secret|password|passwd|api_?key|private_?key)[A-Z0-9_]*"
    r"\s*[=:]\s*)(['\"]?)([^\s'\"]{6,})\2"
)
_BEARER = re.compile(r"(?i)\b(authorization:\s*(?:bearer|token)\s+)([^\s]+)")
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)")


def redact(text: str) -> str:
    """`text` with credential-looking substrings replaced by [REDACTED]."""
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    text = _BEARER.sub(lambda m: m.group(1) + MASK, text)
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return _ASSIGNMENT.sub(lambda m: m.group(1) + m.group(2) + MASK + m.group(2), text)

"""Clean GitHub Actions job logs: timestamps, ANSI colours, group markers, several jobs."""

from __future__ import annotations

import itertools
import re

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?", re.M)
GROUP_MARKER = re.compile(r"^##\[(?:group|endgroup)\].*$")
ERROR_MARKER = re.compile(r"^##\[error\](?P<message>.*)$")
COMMAND_MARKER = re.compile(r"^##\[(?:warning|notice|debug|command|section)\]")
JOB_START = re.compile(r"^##\[group\]Run actions/checkout@")


def is_actions_log(text: str) -> bool:
    return bool(TIMESTAMP.search(text[:5000])) or "##[group]" in text or "##[error]" in text


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def clean_actions_log(text: str) -> str:
    """The log as the job printed it: no timestamps, colours, BOMs or group markers."""
    text = strip_ansi(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = TIMESTAMP.sub("", text.lstrip("\ufeff"))
    kept = []
    for line in text.split("\n"):
        if GROUP_MARKER.match(line) or COMMAND_MARKER.match(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def error_annotations(text: str) -> list[str]:
    """The `##[error]` lines of a (cleaned of timestamps) log, without the marker."""
    text = TIMESTAMP.sub("", strip_ansi(text).lstrip("\ufeff"))
    return [m.group("message").strip() for m in map(ERROR_MARKER.match, text.splitlines()) if m]


def split_jobs(text: str) -> list[str]:
    """Several job logs pasted one after the other: one chunk per job (checkout starts a job)."""
    lines = TIMESTAMP.sub("", strip_ansi(text).lstrip("\ufeff")).splitlines()
    starts = [i for i, line in enumerate(lines) if JOB_START.match(line)]
    if len(starts) < 2:
        return [text]
    raw = text.lstrip("\ufeff").splitlines()
    bounds = [0, *starts[1:], len(raw)]
    return ["\n".join(raw[a:b]) for a, b in itertools.pairwise(bounds)]

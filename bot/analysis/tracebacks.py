"""Parse plain Python tracebacks, chained exceptions included, into failures."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.analysis.failures import Failure, Frame

TRACEBACK_START = re.compile(r"^(\s*)Traceback \(most recent call last\):\s*$")
FILE_LINE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+))?\s*$')
CHAIN_MARKERS = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
EXCEPTION_LINE = re.compile(
    r"^(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration|Fault|Failure|"
    r"Timeout|Refused|Reset|Found|Invalid|Denied)|[A-Z]\w*(?:\.\w+)+)(?::\s?(?P<message>.*))?$"
)
CARET_LINE = re.compile(r"^\s*[\^~]+\s*$")

PathFixer = Callable[[str], tuple[str, bool]]


def _keep(raw: str) -> tuple[str, bool]:
    return raw, True


def parse_exception_line(line: str) -> tuple[str, str] | None:
    """Split `pkg.SomeError: message` into (type, message); None when the line is not one."""
    match = EXCEPTION_LINE.match(line.strip())
    if not match:
        return None
    return match.group("type"), (match.group("message") or "").strip()


def parse_tracebacks(text: str, fix_path: PathFixer = _keep) -> list[Failure]:
    """Every traceback in `text`; a chain is one failure whose `causes` hold the earlier ones."""
    lines = text.splitlines()
    failures: list[Failure] = []
    pending_causes: list[Failure] = []
    i = 0
    while i < len(lines):
        start = TRACEBACK_START.match(lines[i])
        if not start:
            i += 1
            continue
        failure, i = _parse_one(lines, i + 1, len(start.group(1)), fix_path)
        chained = _next_is_chain(lines, i)
        if chained is not None:
            pending_causes.append(failure)
            i = chained
            continue
        failure.causes = pending_causes
        pending_causes = []
        failures.append(failure)
    failures.extend(pending_causes)  # a chain cut off before its last traceback
    return failures


def _next_is_chain(lines: list[str], i: int) -> int | None:
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and lines[j].strip() in CHAIN_MARKERS:
        return j + 1
    return None


def _parse_one(lines: list[str], i: int, indent: int, fix_path: PathFixer) -> tuple[Failure, int]:
    frames: list[Frame] = []
    start = i
    while i < len(lines):
        match = FILE_LINE.match(lines[i])
        if match:
            code = ""
            j = i + 1
            if j < len(lines) and _is_code_line(lines[j], indent):
                code = lines[j].strip()
                j += 1
            while j < len(lines) and CARET_LINE.match(lines[j]):
                j += 1
            path, in_repo = fix_path(match.group("file"))
            frames.append(
                Frame(
                    path,
                    int(match.group("line")),
                    (match.group("func") or "").strip(),
                    code,
                    in_repo,
                )
            )
            i = j
            continue
        stripped = lines[i][indent:] if len(lines[i]) >= indent else lines[i].strip()
        if stripped.startswith(" ") or not stripped:
            i += 1  # SyntaxError source lines, caret lines, "[Previous line repeated ...]"
            continue
        break
    exc_type, message = "", ""
    if i < len(lines):
        parsed = parse_exception_line(lines[i][indent:])
        if parsed:
            exc_type, message = parsed
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_something(lines[i], indent):
                message += "\n" + lines[i][indent:]  # multi-line messages
                i += 1
    output = "\n".join(lines[start - 1 : i])
    return Failure(None, exc_type or "UnknownError", message, frames, output), i


def _is_code_line(line: str, indent: int) -> bool:
    return (
        line.startswith(" " * (indent + 4))
        and not FILE_LINE.match(line)
        and not CARET_LINE.match(line)
    )


def _starts_something(line: str, indent: int) -> bool:
    stripped = line.strip()
    return (
        bool(TRACEBACK_START.match(line))
        or stripped in CHAIN_MARKERS
        or len(line) - len(line.lstrip()) < indent
    )

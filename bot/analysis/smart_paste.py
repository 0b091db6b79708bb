"""Smart paste: separate stack traces from the prose and code pasted around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.tracebacks import FILE_LINE, TRACEBACK_START, parse_exception_line

CHAIN_LINE = re.compile(r"^(The above exception was|During handling of the above exception)")
CODE_LINE = re.compile(r"^(\s+\S|(def|class|import|from|for|while|if|return|with|try|@)\b)")


@dataclass(frozen=True)
class TextBlock:
    kind: str  # "traceback" | "code" | "text"
    text: str


def split_traces(text: str) -> list[TextBlock]:
    """Blocks in their original order; adjacent lines of the same kind are merged."""
    lines = text.replace("\r\n", "\n").split("\n")
    kinds: list[str] = []
    i = 0
    while i < len(lines):
        if TRACEBACK_START.match(lines[i]):
            end = _traceback_end(lines, i)
            kinds.extend(["traceback"] * (end - i))
            i = end
            continue
        kinds.append("code" if CODE_LINE.match(lines[i]) else "text")
        i += 1
    blocks: list[TextBlock] = []
    for kind, line in zip(kinds, lines, strict=True):
        if blocks and (blocks[-1].kind == kind or not line.strip()):
            blocks[-1] = TextBlock(blocks[-1].kind, blocks[-1].text + "\n" + line)
        else:
            blocks.append(TextBlock(kind, line))
    return [TextBlock(b.kind, b.text.strip("\n")) for b in blocks if b.text.strip()]


def _traceback_end(lines: list[str], start: int) -> int:
    """The line after the exception line that ends the traceback (chains included)."""
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if FILE_LINE.match(line) or line.startswith(" ") or not line.strip():
            i += 1
            continue
        if CHAIN_LINE.match(line) or TRACEBACK_START.match(line):
            i += 1
            continue
        if parse_exception_line(line):
            following = i + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following < len(lines) and CHAIN_LINE.match(lines[following]):
                i = following
                continue
            return i + 1
        return i
    return i

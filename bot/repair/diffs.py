"""Unified diffs: make them, count their changed lines, and apply them to in-memory files."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

NO_NEWLINE = "\x00"
HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class DiffError(ValueError):
    """A diff is malformed or does not apply; the message says which file and hunk."""


@dataclass
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: list[str] = field(default_factory=list)  # each starts with " ", "-" or "+"


@dataclass
class FilePatch:
    """One file's part of a diff; `old_path`/`new_path` are None for /dev/null."""

    old_path: str | None
    new_path: str | None
    hunks: list[Hunk] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    @property
    def is_deletion(self) -> bool:
        return self.new_path is None

    @property
    def is_creation(self) -> bool:
        return self.old_path is None


def make_diff(path: str, before: str, after: str, context: int = 3) -> str:
    """A unified diff of one file with `a/` and `b/` prefixes; empty when nothing changed."""
    if before == after:
        return ""
    lines = difflib.unified_diff(
        _split_keep_newline(before),
        _split_keep_newline(after),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
        n=context,
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def _split_keep_newline(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _strip_prefix(raw: str) -> str | None:
    name = raw.split("\t", 1)[0].strip()
    if name == "/dev/null":
        return None
    if name.startswith(("a/", "b/")):
        return name[2:]
    return name


def parse_diff(diff: str) -> list[FilePatch]:
    """Split a unified diff into files and hunks; raises DiffError when it is not one."""
    patches: list[FilePatch] = []
    current: FilePatch | None = None
    hunk: Hunk | None = None
    lines = diff.splitlines()
    i = 0
    old_left = new_left = 0  # lines still expected in the current hunk
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("\\") and hunk is not None and hunk.lines:
            hunk.lines[-1] += NO_NEWLINE  # "\ No newline at end of file" ends the line above
            continue
        if hunk is not None and (old_left > 0 or new_left > 0):
            tag = line[:1] if line else " "  # some tools drop the space of an empty context line
            if tag not in (" ", "-", "+"):
                raise DiffError(f"{_current_path(patches)}: hunk ends early at {line!r}")
            hunk.lines.append(tag + line[1:])
            old_left -= tag in (" ", "-")
            new_left -= tag in (" ", "+")
            continue
        if line.startswith("--- ") and i < len(lines) and lines[i].startswith("+++ "):
            current = FilePatch(_strip_prefix(line[4:]), _strip_prefix(lines[i][4:]))
            patches.append(current)
            hunk = None
            i += 1
            continue
        match = HUNK_HEADER.match(line)
        if match:
            if current is None:
                raise DiffError(f"hunk header before any file header: {line!r}")
            old_left = int(match.group(2)) if match.group(2) is not None else 1
            new_left = int(match.group(4)) if match.group(4) is not None else 1
            hunk = Hunk(int(match.group(1)), old_left, int(match.group(3)), new_left)
            current.hunks.append(hunk)
    if hunk is not None and (old_left > 0 or new_left > 0):
        raise DiffError(f"{_current_path(patches)}: the last hunk is cut short")
    if not patches:
        raise DiffError("no file headers (--- a/path, +++ b/path): this is not a unified diff")
    return patches


def _current_path(patches: list[FilePatch]) -> str:
    return patches[-1].path if patches else "<no file>"


def changed_lines(diff: str) -> int:
    """How many lines the diff adds or removes (a modified line counts once per side)."""
    count = 0
    for patch in parse_diff(diff):
        for hunk in patch.hunks:
            count += sum(1 for line in hunk.lines if line[:1] in "+-")
    return count


def touched_paths(diff: str) -> list[str]:
    """Every path named by the diff, old and new, in order, without duplicates."""
    seen: list[str] = []
    for patch in parse_diff(diff):
        for name in (patch.old_path, patch.new_path):
            if name is not None and name not in seen:
                seen.append(name)
    return seen


def apply_diff_in_memory(files: dict[str, str], diff: str) -> dict[str, str]:
    """Apply `diff` to `files` (path → text) and return the new mapping; strict on context."""
    result = dict(files)
    for patch in parse_diff(diff):
        if patch.is_creation:
            before_lines: list[str] = []
        else:
            assert patch.old_path is not None
            if patch.old_path not in result:
                raise DiffError(f"{patch.old_path}: the diff edits a file that does not exist")
            before_lines = result[patch.old_path].splitlines(keepends=True)
        after_lines = _apply_hunks(patch, before_lines)
        if patch.old_path is not None and patch.old_path != patch.new_path:
            result.pop(patch.old_path, None)
        if patch.new_path is not None:
            result[patch.new_path] = "".join(after_lines)
    return result


def _apply_hunks(patch: FilePatch, before: list[str]) -> list[str]:
    out: list[str] = []
    cursor = 0
    for number, hunk in enumerate(patch.hunks, start=1):
        start = hunk.old_start - 1 if hunk.old_count else hunk.old_start
        if start < cursor:
            raise DiffError(f"{patch.path}: hunk {number} overlaps the previous one")
        out.extend(before[cursor:start])
        position = start
        for line in hunk.lines:
            tag, text = line[0], line[1:]
            ending = "" if text.endswith(NO_NEWLINE) else "\n"
            text = text.removesuffix(NO_NEWLINE)
            if tag == "+":
                out.append(text + ending)
                continue
            if position >= len(before) or before[position].rstrip("\r\n") != text:
                found = before[position].rstrip("\n") if position < len(before) else "<EOF>"
                raise DiffError(
                    f"{patch.path}: hunk {number} does not apply at line {position + 1}: "
                    f"expected {text!r}, found {found!r}"
                )
            if tag == " ":
                out.append(before[position])
            position += 1
        cursor = position
    out.extend(before[cursor:])
    return out

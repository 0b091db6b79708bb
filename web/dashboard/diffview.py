"""Unified diff → side-by-side rows (old on the left, new on the right), a pure function."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.repair.diffs import NO_NEWLINE, DiffError, FilePatch, parse_diff


@dataclass(frozen=True)
class Cell:
    number: int | None  # None: an empty cell opposite an added or removed line
    text: str
    kind: str  # "context", "removed", "added" or "empty"


@dataclass(frozen=True)
class Row:
    left: Cell
    right: Cell
    hunk_header: str | None = None  # set on the separator row that opens each hunk


@dataclass
class FileView:
    path: str
    old_path: str | None
    new_path: str | None
    rows: list[Row] = field(default_factory=list)


EMPTY = Cell(None, "", "empty")


def _pair(removed: list[Cell], added: list[Cell]) -> list[Row]:
    """A change block: the i-th removed line faces the i-th added line, the rest face blanks."""
    size = max(len(removed), len(added))
    return [
        Row(removed[i] if i < len(removed) else EMPTY, added[i] if i < len(added) else EMPTY)
        for i in range(size)
    ]


def _file_rows(patch: FilePatch) -> list[Row]:
    rows: list[Row] = []
    for hunk in patch.hunks:
        header = f"@@ -{hunk.old_start},{hunk.old_count} +{hunk.new_start},{hunk.new_count} @@"
        rows.append(Row(EMPTY, EMPTY, hunk_header=header))
        old, new = hunk.old_start, hunk.new_start
        removed: list[Cell] = []
        added: list[Cell] = []
        for raw in hunk.lines:
            tag, text = raw[0], raw[1:].replace(NO_NEWLINE, "")
            if tag == "-":
                removed.append(Cell(old, text, "removed"))
                old += 1
            elif tag == "+":
                added.append(Cell(new, text, "added"))
                new += 1
            else:
                rows += _pair(removed, added)
                removed, added = [], []
                rows.append(Row(Cell(old, text, "context"), Cell(new, text, "context")))
                old += 1
                new += 1
        rows += _pair(removed, added)
    return rows


def side_by_side(diff: str) -> list[FileView]:
    """One view per file; raises DiffError (from the parser) when `diff` is not a unified diff."""
    return [
        FileView(patch.path, patch.old_path, patch.new_path, _file_rows(patch))
        for patch in parse_diff(diff)
    ]


def first_change(diff: str) -> tuple[str, int] | None:
    """The file and new-side line of the first change, where an editor should open."""
    try:
        patches = parse_diff(diff)
    except DiffError:
        return None
    for patch in patches:
        for hunk in patch.hunks:
            new = hunk.new_start
            for raw in hunk.lines:
                if raw[0] in "+-":  # a removed line: open where it used to be
                    return patch.path, max(new, 1)
                new += 1
    return None

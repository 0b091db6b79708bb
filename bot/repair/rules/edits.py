"""Source edits located by AST positions and applied by splicing text, keeping formatting."""

from __future__ import annotations

import ast
from dataclasses import dataclass

DECAY = 0.85  # later alternatives for the same node are less likely


@dataclass(frozen=True)
class Edit:
    """Replace the text between two (line, column) points; columns count characters, not bytes."""

    start: tuple[int, int]  # 1-based line, 0-based column
    end: tuple[int, int]
    replacement: str
    template: str
    prior: float
    description: str


class Source:
    """A file's text with helpers to turn AST positions into character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._line_starts = [0]
        for line in self.lines:
            self._line_starts.append(self._line_starts[-1] + len(line))

    def char_col(self, line: int, byte_col: int) -> int:
        raw = self.lines[line - 1].encode("utf-8")
        return len(raw[:byte_col].decode("utf-8", errors="replace"))

    def start(self, node: ast.AST) -> tuple[int, int]:
        return node.lineno, self.char_col(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> tuple[int, int]:
        line = node.end_lineno  # type: ignore[attr-defined]
        return line, self.char_col(line, node.end_col_offset)  # type: ignore[attr-defined]

    def offset(self, point: tuple[int, int]) -> int:
        return self._line_starts[point[0] - 1] + point[1]

    def segment(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        return self.text[self.offset(start) : self.offset(end)]

    def node_text(self, node: ast.AST) -> str:
        return self.segment(self.start(node), self.end(node))

    def line_indent(self, line: int) -> str:
        raw = self.lines[line - 1]
        return raw[: len(raw) - len(raw.lstrip())]

    def apply(self, edit: Edit) -> str:
        a, b = self.offset(edit.start), self.offset(edit.end)
        return self.text[:a] + edit.replacement + self.text[b:]

    def replace_node(
        self, node: ast.AST, text: str, template: str, prior: float, description: str
    ) -> Edit:
        return Edit(self.start(node), self.end(node), text, template, prior, description)

    def insert_before_line(
        self, line: int, text: str, template: str, prior: float, description: str
    ) -> Edit:
        return Edit((line, 0), (line, 0), text, template, prior, description)


def parenthesize(text: str, node: ast.AST) -> str:
    """Wrap an expression's text when adding an operator next to it would change its meaning."""
    atomic = (
        ast.Name,
        ast.Constant,
        ast.Attribute,
        ast.Subscript,
        ast.Call,
        ast.List,
        ast.Tuple,
        ast.Dict,
    )
    return text if isinstance(node, atomic) else f"({text})"

"""What failures tell the templates: missing names and attributes, None values, literals."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from bot.analysis.failures import Failure

UNDEFINED_NAME = re.compile(r"name '(?P<name>\w+)' is not defined|local variable '(?P<local>\w+)'")
MISSING_ATTRIBUTE = re.compile(r"has no attribute '(?P<attr>\w+)'")
SUGGESTION = re.compile(r"Did you mean:? '(?P<name>[\w.]+)'\??")
DID_NOT_RAISE = re.compile(r"DID NOT RAISE (?:<class ')?(?P<exc>[\w.]+)")
NONE_VALUE = re.compile(r"'NoneType' object|NoneType|argument of type 'NoneType'")


@dataclass
class Hints:
    exc_types: list[str] = field(default_factory=list)
    undefined_names: list[str] = field(default_factory=list)
    missing_attributes: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    none_involved: bool = False
    none_in_assertion: bool = False
    expected_literals: list[str] = field(default_factory=list)
    expected_raises: list[str] = field(default_factory=list)

    @property
    def main_exc(self) -> str:
        return self.exc_types[0] if self.exc_types else ""


def hints_from(failures: list[Failure]) -> Hints:
    hints = Hints()
    for failure in failures:
        exc = failure.exc_type.rsplit(".", 1)[-1]
        _add(hints.exc_types, exc)
        text = f"{failure.message}\n{failure.output}"
        for match in UNDEFINED_NAME.finditer(failure.message):
            _add(hints.undefined_names, match.group("name") or match.group("local"))
        for match in MISSING_ATTRIBUTE.finditer(failure.message):
            _add(hints.missing_attributes, match.group("attr"))
        for match in SUGGESTION.finditer(text):
            _add(hints.suggestions, match.group("name").split(".")[-1])
        for match in DID_NOT_RAISE.finditer(text):
            _add(hints.expected_raises, match.group("exc").rsplit(".", 1)[-1])
        if NONE_VALUE.search(failure.message):
            hints.none_involved = True
        if exc == "AssertionError" and re.search(r"\bNone\b", failure.message):
            hints.none_in_assertion = True
        for frame in failure.frames:
            literal = _expected_literal(frame.code)
            if literal is not None:
                _add(hints.expected_literals, literal)
    return hints


def _expected_literal(code: str) -> str | None:
    """`assert f(x) == ""` in a test line: the literal a fixed function should return."""
    if not code.startswith("assert "):
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    statement = tree.body[0]
    if not isinstance(statement, ast.Assert) or not isinstance(statement.test, ast.Compare):
        return None
    compare = statement.test
    if len(compare.ops) != 1 or not isinstance(compare.ops[0], ast.Eq | ast.Is):
        return None
    for side in (compare.comparators[0], compare.left):
        if isinstance(side, ast.Constant | ast.List | ast.Dict | ast.Tuple):
            try:
                ast.literal_eval(side)
            except ValueError:
                continue
            return ast.get_source_segment(code, side) or ast.unparse(side)
    return None


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)

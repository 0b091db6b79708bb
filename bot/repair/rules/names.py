"""Name templates: a misspelt name or attribute becomes the close match in scope."""

from __future__ import annotations

import ast
import builtins
import difflib

from bot.repair.rules.edits import DECAY, Edit, Source
from bot.repair.rules.hints import Hints

BUILTIN_ATTRIBUTES = {
    name for kind in (str, list, dict, set, int, float, bytes, tuple) for name in dir(kind)
}


def _close(name: str, universe: set[str], preferred: list[str]) -> list[str]:
    ordered = [s for s in preferred if s in universe and s != name]
    ordered += [
        m
        for m in difflib.get_close_matches(name, universe - {name}, n=3, cutoff=0.7)
        if m not in ordered
    ]
    return ordered


def rename(src: Source, node: ast.Name, hints: Hints, scope_names: set[str]) -> list[Edit]:
    undefined = node.id in hints.undefined_names
    if not undefined and node.id in scope_names | set(dir(builtins)):
        return []
    universe = scope_names | set(dir(builtins))
    return [
        src.replace_node(
            node, new, "rename", DECAY**rank, f"name `{node.id}` → `{new}` on line {node.lineno}"
        )
        for rank, new in enumerate(_close(node.id, universe, hints.suggestions))
    ]


def attribute_rename(
    src: Source, node: ast.Attribute, hints: Hints, scope_names: set[str]
) -> list[Edit]:
    if node.attr not in hints.missing_attributes or hints.none_involved:
        return []  # an attribute missing on None is a missing check, not a typo
    end = src.end(node)
    start = (end[0], end[1] - len(node.attr))
    if src.segment(start, end) != node.attr:
        return []
    universe = scope_names | BUILTIN_ATTRIBUTES
    return [
        Edit(
            start,
            end,
            new,
            "attribute",
            DECAY**rank,
            f"attribute `.{node.attr}` → `.{new}` on line {node.lineno}",
        )
        for rank, new in enumerate(_close(node.attr, universe, hints.suggestions))
    ]


def module_names(tree: ast.Module) -> set[str]:
    """Every identifier the module defines or uses: candidate replacements for misspelt names."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names

"""Operand templates: off-by-one bounds and indexes, nearby constants, swapped arguments."""

from __future__ import annotations

import ast
import itertools

from bot.repair.rules.edits import DECAY, Edit, Source, parenthesize
from bot.repair.rules.variables import aligned_swap_prior


def by_one_variants(src: Source, node: ast.expr) -> list[str]:
    """`n` → n-1, n+1; `x + 1` → x, x + 2; `x - 1` → x, x - 2; anything else → x - 1, x + 1."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return [str(node.value - 1), str(node.value + 1)]
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add | ast.Sub)
        and isinstance(node.right, ast.Constant)
        and type(node.right.value) is int
    ):
        left = src.segment(src.start(node), src.end(node.left))
        op = "+" if isinstance(node.op, ast.Add) else "-"
        k = node.right.value
        return [left, f"{left} {op} {k + 1}"] + ([f"{left} {op} {k - 1}"] if k > 1 else [])
    text = (
        parenthesize(src.node_text(node), node)
        if isinstance(node, ast.Compare | ast.BoolOp | ast.IfExp)
        else src.node_text(node)
    )
    return [f"{text} - 1", f"{text} + 1"]


def range_off_by_one(src: Source, node: ast.Call) -> list[Edit]:
    if not (isinstance(node.func, ast.Name) and node.func.id == "range"):
        return []
    edits = []
    for arg in node.args[:2]:
        for rank, variant in enumerate(by_one_variants(src, arg)):
            label = f"range bound `{src.node_text(arg)}` → `{variant}` on line {node.lineno}"
            edits.append(src.replace_node(arg, variant, "off_by_one", DECAY**rank, label))
    return edits


def subscript_off_by_one(src: Source, node: ast.Subscript) -> list[Edit]:
    parts: list[ast.expr] = []
    if isinstance(node.slice, ast.Slice):
        parts = [p for p in (node.slice.lower, node.slice.upper) if p is not None]
    elif not (
        isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
    ) and not isinstance(node.slice, ast.Tuple):
        parts = [node.slice]
    edits = []
    for part in parts:
        for rank, variant in enumerate(by_one_variants(src, part)):
            label = f"index `{src.node_text(part)}` → `{variant}` on line {node.lineno}"
            edits.append(src.replace_node(part, variant, "off_by_one", DECAY**rank, label))
    return edits


def constant_tweaks(src: Source, node: ast.Constant) -> list[Edit]:
    value = node.value
    if isinstance(value, bool):
        variants = [str(not value)]
    elif isinstance(value, int) and abs(value) <= 1000:
        variants = [str(value + 1), str(value - 1)] if value != 0 else ["1", "-1"]
    else:
        return []
    return [
        src.replace_node(
            node,
            variant,
            "constant",
            DECAY**rank,
            f"constant `{src.node_text(node)}` → `{variant}` on line {node.lineno}",
        )
        for rank, variant in enumerate(variants)
    ]


def swap_arguments(src: Source, node: ast.Call, parameters: dict[str, list[str]]) -> list[Edit]:
    args = node.args
    if len(args) < 2 or any(isinstance(a, ast.Starred) for a in args):
        return []
    edits = []
    for rank, (first, second) in enumerate(itertools.pairwise(args)):
        between = src.segment(src.end(first), src.start(second))
        text = src.node_text(second) + between + src.node_text(first)
        label = f"swap `{src.node_text(first)}` and `{src.node_text(second)}` on line {node.lineno}"
        prior = DECAY**rank * aligned_swap_prior(node, rank, parameters)
        edits.append(Edit(src.start(first), src.end(second), text, "swap_args", prior, label))
    return edits

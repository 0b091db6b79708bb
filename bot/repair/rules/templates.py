"""The expression fix templates a statement gets, dispatched by node kind to their modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bot.repair.rules.edits import Edit, Source
from bot.repair.rules.hints import Hints
from bot.repair.rules.names import attribute_rename, rename
from bot.repair.rules.operands import (
    constant_tweaks,
    range_off_by_one,
    subscript_off_by_one,
    swap_arguments,
)
from bot.repair.rules.operators import arith_swaps, boolop_swap, compare_swaps, negate


def header_expressions(statement: ast.stmt) -> list[ast.AST]:
    """The expressions that belong to this line: a compound statement's header, not its body."""
    if isinstance(statement, ast.If | ast.While):
        return [statement.test]
    if isinstance(statement, ast.For | ast.AsyncFor):
        return [statement.target, statement.iter]
    if isinstance(statement, ast.With | ast.AsyncWith):
        return [item.context_expr for item in statement.items]
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Try):
        return []
    return [statement]


def walk_own(statement: ast.stmt) -> Iterator[ast.AST]:
    for root in header_expressions(statement):
        for node in ast.walk(root):
            if node is not root or not isinstance(node, ast.stmt) or node is statement:
                yield node


def expression_edits(
    src: Source,
    statement: ast.stmt,
    hints: Hints,
    scope_names: set[str],
    parameters: dict[str, list[str]] | None = None,
) -> list[Edit]:
    edits: list[Edit] = []
    # `% 2` and `// 2` (parity, halving) are not off by one: `% 3` is never the fix
    halvings = {
        id(n.right)
        for n in walk_own(statement)
        if isinstance(n, ast.BinOp)
        and isinstance(n.op, ast.Mod | ast.FloorDiv)
        and isinstance(n.right, ast.Constant)
        and n.right.value == 2
    }
    for node in walk_own(statement):
        if isinstance(node, ast.Compare):
            edits.extend(compare_swaps(src, node))
        elif isinstance(node, ast.BinOp):
            edits.extend(arith_swaps(src, node.left, node.right, node.op, "arith"))
        elif isinstance(node, ast.AugAssign):
            edits.extend(arith_swaps(src, node.target, node.value, node.op, "arith", suffix="="))
        elif isinstance(node, ast.BoolOp):
            edits.extend(boolop_swap(src, node))
        elif isinstance(node, ast.Call):
            edits.extend(range_off_by_one(src, node))
            edits.extend(swap_arguments(src, node, parameters or {}))
        elif isinstance(node, ast.Subscript):
            edits.extend(subscript_off_by_one(src, node))
        elif (
            isinstance(node, ast.Constant)
            and not _returned_sentinel(statement, node)
            and id(node) not in halvings
        ):
            edits.extend(constant_tweaks(src, node))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            edits.extend(rename(src, node, hints, scope_names))
        elif isinstance(node, ast.Attribute):
            edits.extend(attribute_rename(src, node, hints, scope_names))
    if isinstance(statement, ast.If | ast.While):
        edits.extend(negate(src, statement.test))
    if isinstance(statement, ast.Return) and isinstance(
        statement.value, ast.Compare | ast.BoolOp | ast.UnaryOp
    ):
        edits.extend(negate(src, statement.value))
    return edits


def _returned_sentinel(statement: ast.stmt, node: ast.Constant) -> bool:
    """`return -1` / `return 0`: a wrong sentinel is the return-value template's job; nudging it
    by one (`-2`) is never the fix."""
    if not isinstance(statement, ast.Return) or statement.value is None:
        return False
    value = statement.value
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        value = value.operand
    return value is node

"""Operator templates: swap a comparison, arithmetic or boolean operator, or negate a condition."""

from __future__ import annotations

import ast
import re

from bot.repair.rules.edits import DECAY, Edit, Source

GUARD_SWAP_PRIOR = 3.0
COMPARE_TEXT = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
COMPARE_ALTERNATIVES = {
    "<": ["<=", ">", ">=", "!=", "=="],
    "<=": ["<", ">=", ">", "==", "!="],
    ">": [">=", "<", "<=", "!=", "=="],
    ">=": [">", "<=", "<", "==", "!="],
    "==": ["!=", "is", "<=", ">="],
    "!=": ["==", "is not"],
    "is": ["==", "is not"],
    "is not": ["!=", "is"],
    "in": ["not in"],
    "not in": ["in"],
}
# `<` ↔ `<=`: the classic off-by-one in a condition, learnt apart from other comparison swaps
BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
ARITH_TEXT = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}
ARITH_ALTERNATIVES = {
    "+": ["-", "*"],
    "-": ["+"],
    "*": ["/", "+", "**"],
    "/": ["//", "*"],
    "//": ["/", "%", "*"],
    "%": ["//"],
    "**": ["*"],
}


def _replace_between(
    src: Source,
    left: ast.AST,
    right: ast.AST,
    pattern: str,
    new: str,
    template: str,
    rank: int,
    label: str,
) -> Edit | None:
    start, end = src.end(left), src.start(right)
    middle = src.segment(start, end)
    replaced, count = re.subn(pattern, new, middle, count=1)
    if count == 0:
        return None
    return Edit(start, end, replaced, template, DECAY**rank, label)


def _op_pattern(token: str) -> str:
    if token[0].isalpha():
        return r"\b" + r"\s+".join(token.split()) + r"\b"
    return r"(?<![=<>!*/%+\-])" + re.escape(token) + r"(?![=<>*/])"


def compare_swaps(src: Source, node: ast.Compare) -> list[Edit]:
    edits = []
    operands = [node.left, *node.comparators]
    for index, op in enumerate(node.ops):
        old = COMPARE_TEXT[type(op)]
        sides = (operands[index], operands[index + 1])
        # `x is 0` compiles with a SyntaxWarning and is never the intended fix
        literal = any(isinstance(s, ast.Constant) and s.value is not None for s in sides)
        for rank, new in enumerate(COMPARE_ALTERNATIVES[old]):
            if literal and new in ("is", "is not"):
                continue
            label = f"comparison `{old}` → `{new}` on line {node.lineno}"
            edit = _replace_between(
                src,
                operands[index],
                operands[index + 1],
                _op_pattern(old),
                new,
                "boundary" if BOUNDARY.get(old) == new else "compare",
                rank,
                label,
            )
            if edit:
                edits.append(edit)
    return edits


def arith_swaps(
    src: Source, left: ast.AST, right: ast.AST, op: ast.operator, template: str, suffix: str = ""
) -> list[Edit]:
    old = ARITH_TEXT.get(type(op))
    if old is None:
        return []
    edits = []
    for rank, new in enumerate(ARITH_ALTERNATIVES[old]):
        label = f"operator `{old}{suffix}` → `{new}{suffix}` on line {left.lineno}"  # type: ignore[attr-defined]
        edit = _replace_between(
            src, left, right, _op_pattern(old + suffix), new + suffix, template, rank, label
        )
        if edit:
            edits.append(edit)
    return edits


def boolop_swap(src: Source, node: ast.BoolOp) -> list[Edit]:
    old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
    edits = []
    for left, right in zip(node.values, node.values[1:], strict=False):
        label = f"`{old}` → `{new}` on line {node.lineno}"
        edit = _replace_between(src, left, right, rf"\b{old}\b", new, "boolop", 0, label)
        if edit and _misguarded(left, right, node.op):
            edit = Edit(edit.start, edit.end, edit.replacement, "boolop", GUARD_SWAP_PRIOR, label)
        if edit:
            edits.append(edit)
    return edits


def _misguarded(left: ast.expr, right: ast.expr, op: ast.boolop) -> bool:
    """`x is None and x > 1` (or `x is not None or x > 1`): the right side only runs on None."""
    if not (
        isinstance(left, ast.Compare)
        and len(left.ops) == 1
        and isinstance(left.comparators[0], ast.Constant)
        and left.comparators[0].value is None
    ):
        return False
    wanted = ast.Is if isinstance(op, ast.And) else ast.IsNot
    checked = ast.dump(left.left)
    return isinstance(left.ops[0], wanted) and any(ast.dump(n) == checked for n in ast.walk(right))


def negate(src: Source, test: ast.expr) -> list[Edit]:
    text = src.node_text(test)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = src.node_text(test.operand)
        if isinstance(test.operand, ast.BoolOp | ast.Compare | ast.IfExp):
            inner = f"({inner})"
        return [src.replace_node(test, inner, "negate", 1.0, f"drop `not` on line {test.lineno}")]
    wrapped = (
        f"not {text}"
        if not isinstance(test, ast.BoolOp | ast.Compare | ast.IfExp)
        else f"not ({text})"
    )
    return [
        src.replace_node(
            test, wrapped, "negate", 1.0, f"negate the condition on line {test.lineno}"
        )
    ]

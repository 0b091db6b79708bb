"""Order templates: operands of a non-commutative operator swapped, indexes swapped (`m[j][i]`),
a slice bound counted from the wrong end (`xs[k:]` ↔ `xs[-k:]`), a slice end read as a length."""

from __future__ import annotations

import ast

from bot.repair.rules.edits import Edit, Source, parenthesize

NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def operand_swaps(src: Source, node: ast.AST) -> list[Edit]:
    """`right - left` → `left - right` (and /, //, %, **)."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, NON_COMMUTATIVE)):
        return []
    # `i - 1` → `1 - i` is never meant; two named values in the wrong order often are.
    simple = (ast.Name, ast.Subscript, ast.Attribute, ast.Call)
    if not (isinstance(node.left, simple) and isinstance(node.right, simple)):
        return []
    left, right = src.node_text(node.left), src.node_text(node.right)
    middle = src.segment(src.end(node.left), src.start(node.right))
    label = f"swap the operands of `{left}{middle}{right}` on line {node.lineno}"
    return [src.replace_node(node, right + middle + left, "swap_args", 1.0, label)]


def index_swaps(src: Source, node: ast.AST) -> list[Edit]:
    """`m[j][i]` → `m[i][j]`."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Subscript)):
        return []
    inner, outer = node.value.slice, node.slice
    if isinstance(inner, ast.Slice | ast.Tuple) or isinstance(outer, ast.Slice | ast.Tuple):
        return []
    a, b = src.node_text(inner), src.node_text(outer)
    if a == b:
        return []
    base = src.node_text(node.value.value)
    label = f"indexes `[{a}][{b}]` → `[{b}][{a}]` on line {node.lineno}"
    return [src.replace_node(node, f"{base}[{b}][{a}]", "index", 1.0, label)]


def slice_sign_flips(src: Source, node: ast.AST) -> list[Edit]:
    """A slice bound taken from the other end: `xs[k:]` → `xs[-k:]`, `xs[:-k]` → `xs[:k]`."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
        return []
    edits = []
    for bound in (node.slice.lower, node.slice.upper):
        if isinstance(bound, ast.Name):
            text = f"-{bound.id}"
        elif isinstance(bound, ast.UnaryOp) and isinstance(bound.op, ast.USub):
            text = src.node_text(bound.operand)
        else:
            continue
        label = f"slice bound `{src.node_text(bound)}` → `{text}` on line {node.lineno}"
        edits.append(src.replace_node(bound, text, "slice", 1.0, label))
    return edits


def slice_length_edits(src: Source, node: ast.AST) -> list[Edit]:
    """A slice's end read as a length or the other way round: `xs[start:size]` →
    `xs[start:start + size]`, and `xs[start:start + size]` → `xs[start:size]`."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
        return []
    lower, upper = node.slice.lower, node.slice.upper
    if lower is None or upper is None or node.slice.step is not None:
        return []
    start = src.node_text(lower)
    if isinstance(lower, ast.Constant) or start == src.node_text(upper):
        return []
    if (
        isinstance(upper, ast.BinOp)
        and isinstance(upper.op, ast.Add)
        and src.node_text(upper.left) == start
    ):
        text = src.node_text(upper.right)
    else:
        text = f"{parenthesize(start, lower)} + {parenthesize(src.node_text(upper), upper)}"
    label = f"slice end `{src.node_text(upper)}` → `{text}` on line {node.lineno}"
    return [src.replace_node(upper, text, "slice", 0.9, label)]

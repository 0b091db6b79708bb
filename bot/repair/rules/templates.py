"""Expression fix templates: operator swaps, off-by-one, negation, renames, constants, args."""

from __future__ import annotations

import ast
import builtins
import difflib
import itertools
import re
from collections.abc import Iterator

from bot.repair.rules.edits import Edit, Source, parenthesize
from bot.repair.rules.hints import Hints
from bot.repair.rules.variables import aligned_swap_prior

DECAY = 0.85  # later alternatives for the same node are less likely
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
BUILTIN_ATTRIBUTES = {
    name for kind in (str, list, dict, set, int, float, bytes, tuple) for name in dir(kind)
}


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
    for node in walk_own(statement):
        if isinstance(node, ast.Compare):
            edits.extend(_compare_swaps(src, node))
        elif isinstance(node, ast.BinOp):
            edits.extend(_arith_swaps(src, node.left, node.right, node.op, "arith"))
        elif isinstance(node, ast.AugAssign):
            edits.extend(_arith_swaps(src, node.target, node.value, node.op, "arith", suffix="="))
        elif isinstance(node, ast.BoolOp):
            edits.extend(_boolop_swap(src, node))
        elif isinstance(node, ast.Call):
            edits.extend(_range_off_by_one(src, node))
            edits.extend(_swap_arguments(src, node, parameters or {}))
        elif isinstance(node, ast.Subscript):
            edits.extend(_subscript_off_by_one(src, node))
        elif isinstance(node, ast.Constant):
            edits.extend(_constant_tweaks(src, node))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            edits.extend(_rename(src, node, hints, scope_names))
        elif isinstance(node, ast.Attribute):
            edits.extend(_attribute_rename(src, node, hints, scope_names))
    if isinstance(statement, ast.If | ast.While):
        edits.extend(_negate(src, statement.test))
    if isinstance(statement, ast.Return) and isinstance(
        statement.value, ast.Compare | ast.BoolOp | ast.UnaryOp
    ):
        edits.extend(_negate(src, statement.value))
    return edits


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


def _compare_swaps(src: Source, node: ast.Compare) -> list[Edit]:
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
                "compare",
                rank,
                label,
            )
            if edit:
                edits.append(edit)
    return edits


def _arith_swaps(
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


def _boolop_swap(src: Source, node: ast.BoolOp) -> list[Edit]:
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


def _negate(src: Source, test: ast.expr) -> list[Edit]:
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


def _range_off_by_one(src: Source, node: ast.Call) -> list[Edit]:
    if not (isinstance(node.func, ast.Name) and node.func.id == "range"):
        return []
    edits = []
    for arg in node.args[:2]:
        for rank, variant in enumerate(by_one_variants(src, arg)):
            label = f"range bound `{src.node_text(arg)}` → `{variant}` on line {node.lineno}"
            edits.append(src.replace_node(arg, variant, "off_by_one", DECAY**rank, label))
    return edits


def _subscript_off_by_one(src: Source, node: ast.Subscript) -> list[Edit]:
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


def _constant_tweaks(src: Source, node: ast.Constant) -> list[Edit]:
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


def _swap_arguments(src: Source, node: ast.Call, parameters: dict[str, list[str]]) -> list[Edit]:
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


def _close(name: str, universe: set[str], preferred: list[str]) -> list[str]:
    ordered = [s for s in preferred if s in universe and s != name]
    ordered += [
        m
        for m in difflib.get_close_matches(name, universe - {name}, n=3, cutoff=0.7)
        if m not in ordered
    ]
    return ordered


def _rename(src: Source, node: ast.Name, hints: Hints, scope_names: set[str]) -> list[Edit]:
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


def _attribute_rename(
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

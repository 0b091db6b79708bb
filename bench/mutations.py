"""Single-statement mutations of a module, found with `ast` and spliced into its text."""

from __future__ import annotations

import ast
from dataclasses import dataclass

KINDS = (
    "comparison",
    "arithmetic",
    "off_by_one",
    "negation",
    "and_or",
    "wrong_name",
    "constant",
    "removed_return",
    "swapped_args",
    "base_case",
)

COMPARISON_SWAPS = {
    ast.Lt: ("<", "<="),
    ast.LtE: ("<=", "<"),
    ast.Gt: (">", ">="),
    ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="),
    ast.NotEq: ("!=", "=="),
}
ARITHMETIC_SWAPS = {
    ast.Add: ("+", "-"),
    ast.Sub: ("-", "+"),
    ast.Mult: ("*", "+"),
    ast.Div: ("/", "*"),
    ast.FloorDiv: ("//", "%"),
    ast.Mod: ("%", "//"),
}
BOOL_SWAPS = {ast.And: ("and", "or"), ast.Or: ("or", "and")}


@dataclass(frozen=True)
class Mutation:
    """Lines first..last (1-based, inclusive) of a module replaced by `lines`."""

    kind: str
    first: int
    last: int
    lines: tuple[str, ...]


def mutations(source: str) -> list[Mutation]:
    """Every single-statement mutation of a module, in source order per kind."""
    lines = source.splitlines()
    tree = ast.parse(source)
    found: list[Mutation] = []
    for node in ast.walk(tree):
        found += _expression_mutations(lines, node)
        if isinstance(node, ast.FunctionDef):
            found += _function_mutations(lines, node)
    return found


def apply(source: str, mutation: Mutation) -> str:
    """The module source with a mutation applied."""
    lines = source.splitlines(keepends=True)
    replaced = [line + "\n" for line in mutation.lines]
    return "".join(lines[: mutation.first - 1] + replaced + lines[mutation.last :])


def _one_line(node: ast.expr | ast.stmt) -> bool:
    return node.lineno == node.end_lineno


def _end(node: ast.expr | ast.stmt) -> int:
    """End column; always set on nodes that came from `ast.parse`."""
    return node.col_offset if node.end_col_offset is None else node.end_col_offset


def _splice(lines: list[str], kind: str, line: int, start: int, end: int, text: str) -> Mutation:
    """Replace columns start..end of a line (ast columns are UTF-8 byte offsets)."""
    raw = lines[line - 1].encode()
    mutated = raw[:start] + text.encode() + raw[end:]
    return Mutation(kind, line, line, (mutated.decode(),))


def _operator_between(
    lines: list[str], kind: str, before: ast.expr, after: ast.expr, token: str, new: str
) -> list[Mutation]:
    """Swap the operator token written between two operands on one line."""
    if not (_one_line(before) and _one_line(after) and before.end_lineno == after.lineno):
        return []
    raw = lines[after.lineno - 1].encode()
    gap = raw[_end(before) : after.col_offset].decode()
    if gap.strip(" ()") != token:
        return []
    offset = _end(before) + len(gap.encode()) - len(gap.lstrip(" (").encode())
    return [_splice(lines, kind, after.lineno, offset, offset + len(token), new)]


def _segment(lines: list[str], node: ast.expr) -> str:
    return lines[node.lineno - 1].encode()[node.col_offset : _end(node)].decode()


def _replace(lines: list[str], kind: str, node: ast.expr, text: str) -> Mutation:
    return _splice(lines, kind, node.lineno, node.col_offset, _end(node), text)


def _by_one(lines: list[str], node: ast.expr) -> list[Mutation]:
    if not _one_line(node):
        return []
    value = _int_literal(node)
    if value is not None:
        return [_replace(lines, "off_by_one", node, str(value + 1))]
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add | ast.Sub)
        and isinstance(node.right, ast.Constant)
    ):
        return [_replace(lines, "off_by_one", node, _segment(lines, node.left))]
    text = _segment(lines, node)
    if not isinstance(node, ast.Name | ast.Call | ast.Attribute | ast.Subscript | ast.BinOp):
        text = f"({text})"
    return [_replace(lines, "off_by_one", node, f"{text} {sign} 1") for sign in "+-"]


def _int_literal(node: ast.expr) -> int | None:
    """The value of `3` or `-1`, None for anything else."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int_literal(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _expression_mutations(lines: list[str], node: ast.AST) -> list[Mutation]:
    found: list[Mutation] = []
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            if type(op) in COMPARISON_SWAPS:
                token, new = COMPARISON_SWAPS[type(op)]
                found += _operator_between(
                    lines, "comparison", operands[index], operands[index + 1], token, new
                )
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC_SWAPS:
        token, new = ARITHMETIC_SWAPS[type(node.op)]
        found += _operator_between(lines, "arithmetic", node.left, node.right, token, new)
    elif isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC_SWAPS:
        token, new = ARITHMETIC_SWAPS[type(node.op)]
        found += _operator_between(
            lines, "arithmetic", node.target, node.value, token + "=", new + "="
        )
    elif isinstance(node, ast.BoolOp):
        token, new = BOOL_SWAPS[type(node.op)]
        for before, after in zip(node.values, node.values[1:], strict=False):
            found += _operator_between(lines, "and_or", before, after, token, new)
    elif isinstance(node, ast.If | ast.While | ast.IfExp) and _one_line(node.test):
        found.append(_negate(lines, node.test))
    elif isinstance(node, ast.Call):
        found += _call_mutations(lines, node)
    elif isinstance(node, ast.Subscript):
        parts = (
            [p for p in (node.slice.lower, node.slice.upper) if p is not None]
            if isinstance(node.slice, ast.Slice)
            else [node.slice]
        )
        for part in parts:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                found += _by_one(lines, part)
    elif isinstance(node, ast.Constant) and type(node.value) is int and _one_line(node):
        new_value = {0: 1, 1: 0}.get(node.value, node.value + 1)
        found.append(_replace(lines, "constant", node, str(new_value)))
    return found


def _negate(lines: list[str], test: ast.expr) -> Mutation:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _segment(lines, test.operand)
        if isinstance(test.operand, ast.BoolOp | ast.Compare | ast.IfExp):
            inner = f"({inner})"
        return _replace(lines, "negation", test, inner)
    text = _segment(lines, test)
    wrapped = f"not ({text})" if isinstance(test, ast.BoolOp | ast.IfExp) else f"not {text}"
    return _replace(lines, "negation", test, wrapped)


def _call_mutations(lines: list[str], node: ast.Call) -> list[Mutation]:
    found: list[Mutation] = []
    if isinstance(node.func, ast.Name) and node.func.id == "range" and node.args:
        found += _by_one(lines, node.args[min(len(node.args), 2) - 1])
    args = node.args
    if (
        len(args) >= 2
        and not any(isinstance(arg, ast.Starred) for arg in args[:2])
        and all(_one_line(arg) for arg in args[:2])
        and args[0].lineno == args[1].lineno
    ):
        first, second = _segment(lines, args[0]), _segment(lines, args[1])
        if first != second:
            raw = lines[args[0].lineno - 1].encode()
            between = raw[_end(args[0]) : args[1].col_offset].decode()
            found.append(
                _splice(
                    lines,
                    "swapped_args",
                    args[0].lineno,
                    args[0].col_offset,
                    _end(args[1]),
                    second + between + first,
                )
            )
    return found


def _function_mutations(lines: list[str], function: ast.FunctionDef) -> list[Mutation]:
    found: list[Mutation] = []
    local_names = sorted(
        (
            {arg.arg for arg in function.args.args}
            | {
                node.id
                for node in ast.walk(function)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
            }
        )
        - {"self", "cls"}
    )
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and _one_line(node):
            if node.id in local_names:
                others = [name for name in local_names if name != node.id]
                found += [_replace(lines, "wrong_name", node, name) for name in others[:2]]
        elif isinstance(node, ast.Return) and node.value is not None and _one_line(node):
            # Dropping `return ` leaves a valid expression statement: the function returns None.
            found.append(
                _splice(
                    lines,
                    "removed_return",
                    node.lineno,
                    node.col_offset,
                    node.col_offset + len("return "),
                    "",
                )
            )
    recursive = any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function.name
        for node in ast.walk(function)
    )
    base_case = next((stmt for stmt in function.body if isinstance(stmt, ast.If)), None)
    if (
        recursive
        and base_case is not None
        and not base_case.orelse
        and all(isinstance(stmt, ast.Return) for stmt in base_case.body)
        and base_case.end_lineno is not None
    ):
        found.append(Mutation("base_case", base_case.lineno, base_case.end_lineno, ()))
    return found

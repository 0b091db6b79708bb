"""Screening of patched modules before anything runs: duplicates by normalised AST, and edits that
cannot be meant (negating or doing arithmetic on a module, shadowing an import, `None + 1`,
`[0] / n`, an index that runs off the front of a list on a loop's first pass)."""

from __future__ import annotations

import ast

from bot.repair.rules.kinds import COLLECTION, NUMBER, TEXT, expression_kind

SEQUENCE_DISPLAYS = (ast.List, ast.ListComp, ast.Tuple)


def normalised(tree: ast.Module) -> str:
    """The module's AST without positions: formatting-only differences compare equal."""
    return ast.dump(tree, annotate_fields=False)


def module_level_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names bound to imported modules, names of top-level functions and classes)."""
    modules: set[str] = set()
    definitions: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            definitions.add(node.name)
    return modules, definitions


def nonsense(before: ast.Module, after: ast.Module, line: int) -> str:
    """Why an edit starting on `line` cannot be meant, or "" when it may be."""
    modules, definitions = module_level_names(before)
    callables = modules | definitions
    for name in _stored(after) - _stored(before):
        if name in modules:
            return f"assigns to the imported module `{name}`"
    old = {ast.dump(n) for s in _statements_on(before, line) for n in ast.walk(s)}
    indexes = _index_names(after)
    starts = _loop_starts(after)
    for statement in _statements_on(after, line):
        for node in ast.walk(statement):
            if ast.dump(node) in old:
                continue
            why = (
                _why_nonsense(node, modules, callables)
                or _float_index(statement, node, indexes)
                or _wrapping_index(node, starts)
            )
            if why:
                return why
    return ""


def _index_names(tree: ast.Module) -> set[str]:
    """Names used as a subscript index or a `range()` bound: they must stay integers."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name):
            names.add(node.slice.id)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "range"
        ):
            names |= {a.id for a in node.args if isinstance(a, ast.Name)}
    return names


def _float_index(statement: ast.stmt, node: ast.AST, indexes: set[str]) -> str:
    """`mid = (lo + hi) / 2` where `mid` indexes a list: a float index cannot be meant."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
        return ""
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AugAssign):
        targets = [statement.target]
    stored = {t.id for t in targets if isinstance(t, ast.Name)}
    if stored & indexes:
        return f"makes the index `{', '.join(sorted(stored & indexes))}` a float"
    return ""


def _loop_starts(tree: ast.Module) -> dict[str, int]:
    """The first value of each `for name in range(start, ...)` loop variable (the lowest, when a
    name drives several loops); loops whose start is not a literal are left out."""
    starts: dict[str, int] = {}
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Call)
            and isinstance(node.iter.func, ast.Name)
            and node.iter.func.id == "range"
            and node.iter.args
        ):
            continue
        args = node.iter.args
        first = args[0] if len(args) >= 2 else ast.Constant(0)
        if isinstance(first, ast.Constant) and type(first.value) is int:
            name = node.target.id
            starts[name] = min(starts.get(name, first.value), first.value)
    return starts


def _wrapping_index(node: ast.AST, starts: dict[str, int]) -> str:
    """`row[i - 2]` where `i` starts at 1: on the loop's first pass the index is negative and
    Python quietly reads from the end of the list, which an off-by-one edit cannot mean."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.BinOp)):
        return ""
    index = node.slice
    if not (
        isinstance(index.op, ast.Sub)
        and isinstance(index.left, ast.Name)
        and index.left.id in starts
        and isinstance(index.right, ast.Constant)
        and type(index.right.value) is int
    ):
        return ""
    # A loop from 0 may wrap on purpose (`points[i - 1]` around a polygon); one that starts
    # later was written to keep off the front.
    start = starts[index.left.id]
    first = start - index.right.value
    if first >= 0 or start < 1:
        return ""
    return (
        f"indexes with `{ast.unparse(index)}`, which is {first} on the loop's first pass "
        "and reads from the end"
    )


def _why_nonsense(node: ast.AST, modules: set[str], callables: set[str]) -> str:
    if isinstance(node, ast.Assign) and any(
        ast.unparse(t) == ast.unparse(node.value) for t in node.targets
    ):
        return "assigns a name to itself"
    if isinstance(node, ast.UnaryOp) and _is_name_in(node.operand, callables):
        return f"applies `{type(node.op).__name__}` to `{ast.unparse(node.operand)}`"
    if isinstance(node, ast.BinOp):
        if _identity(node):
            return f"`{ast.unparse(node)}` changes nothing"
        for side in (node.left, node.right):
            if _is_name_in(side, callables) or _is_none(side):
                return f"does arithmetic on `{ast.unparse(side)}`"
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(side, SEQUENCE_DISPLAYS) and not _sequence_arithmetic(node, other):
                return f"does `{type(node.op).__name__}` arithmetic on `{ast.unparse(side)}`"
        mixed = _is_str(node.left) != _is_str(node.right)
        if mixed and _is_literal(node.left) and _is_literal(node.right):
            return "mixes text and numbers in arithmetic"
    if isinstance(node, ast.Compare) and any(
        _is_name_in(o, modules) for o in [node.left, *node.comparators]
    ):
        return "compares a module"
    return ""


def _sequence_arithmetic(node: ast.BinOp, other: ast.expr) -> bool:
    """Whether `[...] op other` can run: a list repeats by a number and joins another list; a
    tuple on the right of `%` fills a format string."""
    op = node.op
    if isinstance(op, ast.Mod):
        return other is node.left
    kind = expression_kind(other, {})
    if isinstance(op, ast.Mult):
        return kind != COLLECTION
    if isinstance(op, ast.Add):
        return kind not in (NUMBER, TEXT)
    return False


def _statements_on(tree: ast.Module, line: int) -> list[ast.stmt]:
    """The innermost simple statements (or compound headers) spanning `line`."""
    found = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.stmt)
        and n.lineno <= line <= (n.end_lineno or n.lineno)
        and not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    if not found:
        return []
    innermost = max(found, key=lambda n: n.lineno)
    return [innermost]


def _identity(node: ast.BinOp) -> bool:
    """`x * 1`, `x + 0`, `x // 1`, `x ** 1`: an operator swap that turned an edit into a no-op."""
    right = node.right
    if not (isinstance(right, ast.Constant) and type(right.value) is int):
        return False
    if right.value == 1:
        return isinstance(node.op, ast.Mult | ast.Div | ast.FloorDiv | ast.Pow)
    return right.value == 0 and isinstance(node.op, ast.Add | ast.Sub)


def _stored(tree: ast.Module) -> set[str]:
    return {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _is_name_in(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in names


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool)

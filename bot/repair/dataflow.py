"""Backward data flow inside a function: the statements a returned value was computed from."""

from __future__ import annotations

import ast

Function = ast.FunctionDef | ast.AsyncFunctionDef
MUTATORS = {
    "append", "extend", "insert", "add", "update", "setdefault", "pop", "remove", "discard",
    "sort", "reverse", "clear", "appendleft", "extendleft", "popleft",
}  # fmt: skip


def _read_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _defined_names(statement: ast.stmt) -> set[str]:
    """Names a statement gives a new value to, including containers it mutates in place."""
    targets: list[ast.AST] = []
    if isinstance(statement, ast.Assign):
        targets = list(statement.targets)
    elif isinstance(statement, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor):
        targets = [statement.target]
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        while isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            func = func.value.func  # `groups.setdefault(k, []).append(v)` changes `groups`
        if isinstance(func, ast.Attribute) and func.attr in MUTATORS:
            targets = [func.value]
    names: set[str] = set()
    for target in targets:
        while isinstance(target, ast.Subscript | ast.Attribute):
            target = target.value  # `dp[i][j] = …` defines `dp`
        names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _own_statements(function: Function) -> list[ast.stmt]:
    """Statements of the function, not of functions nested in it (those are sliced separately)."""
    found: list[ast.stmt] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.stmt):
            found.append(node)
            if isinstance(node, Function | ast.ClassDef):
                continue
        pending.extend(ast.iter_child_nodes(node))
    return found


def returned_value_lines(function: Function) -> set[int]:
    """Lines of the statements a return value depends on, and the branches and loops around them.

    Assignments and in-place mutations of a returned name count, then what they read, to a fixed
    point; order is ignored (loops feed values backwards), which over-approximates a little.
    """
    statements = _own_statements(function)
    returns = [s for s in statements if isinstance(s, ast.Return) and s.value is not None]
    wanted: set[str] = set()
    lines: set[int] = set()
    for returned in returns:
        lines.add(returned.lineno)
        wanted |= _read_names(returned.value) if returned.value else set()
    defining = [(s, _defined_names(s)) for s in statements]
    changed = True
    while changed:
        changed = False
        for statement, names in defining:
            if statement.lineno in lines or not names & wanted:
                continue
            lines.add(statement.lineno)
            reads = _read_names(statement)
            if isinstance(statement, ast.For | ast.AsyncFor):
                reads = _read_names(statement.iter)
            if not reads <= wanted:
                wanted |= reads
                changed = True
    headers = {
        s.lineno
        for s in statements
        if isinstance(s, ast.If | ast.While | ast.For | ast.AsyncFor)
        and any(s.lineno < line <= (s.end_lineno or s.lineno) for line in lines)
    }
    return lines | headers

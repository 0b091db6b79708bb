"""Missing-statement templates: a final append after a loop, the twin of a statement for the
other sequence, a set that is checked but never filled, a loop that never advances, and
`break` where `continue` was meant."""

from __future__ import annotations

import ast

from bot.repair.rules.edits import DECAY, Edit, Source

Function = ast.FunctionDef | ast.AsyncFunctionDef
Loop = ast.For | ast.AsyncFor | ast.While
FILLERS = {"append", "add", "extend", "insert", "update", "appendleft"}


def _own_nodes(function: Function) -> list[ast.AST]:
    """Nodes of the function's body, not of functions or classes nested in it."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, Function | ast.ClassDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _filled_container(statement: ast.stmt) -> str:
    """`xs.append(...)` (and other fillers) as a statement: the name `xs`, else ""."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return ""
    func = statement.value.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr in FILLERS
        and isinstance(func.value, ast.Name)
    ):
        return func.value.id
    return ""


def _returned_names(function: Function) -> set[str]:
    return {
        n.id
        for node in _own_nodes(function)
        if isinstance(node, ast.Return) and node.value is not None
        for n in ast.walk(node.value)
        if isinstance(n, ast.Name)
    }


def append_after_loop(src: Source, function: Function) -> list[Edit]:
    """A loop that flushes its state into a returned list on change, but not once more at the end
    (the last run of run-length encoding, the last group)."""
    returned = _returned_names(function)
    edits = []
    for loop in (n for n in _own_nodes(function) if isinstance(n, Loop)):
        target = (
            {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
            if isinstance(loop, ast.For)
            else set()
        )
        for node in ast.walk(loop):
            if not isinstance(node, ast.stmt) or node is loop:
                continue
            container = _filled_container(node)
            if not container or container not in returned:
                continue
            assert isinstance(node, ast.Expr)
            read = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)} - {container}
            # Loop-carried state only: set before the loop and still meaningful after it.
            if read & target or not read or not read <= _assigned_before(function, loop.lineno):
                continue
            indent = src.line_indent(loop.lineno)
            text = indent + src.node_text(node) + "\n"
            line = (loop.end_lineno or loop.lineno) + 1
            label = f"repeat `{src.node_text(node)}` after the loop on line {loop.lineno}"
            edits.append(Edit((line, 0), (line, 0), text, "missing_statement", 1.0, label))
    return edits


def _assigned_before(function: Function, line: int) -> set[str]:
    names = {a.arg for a in [*function.args.posonlyargs, *function.args.args]}
    for node in _own_nodes(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.lineno < line:
            names.add(node.id)
    return names


def _loop_pairs(loop: ast.While) -> dict[str, str]:
    """`while i < len(a) and j < len(b)`: {i: j, a: b, j: i, b: a}; else {}."""
    if not (isinstance(loop.test, ast.BoolOp) and isinstance(loop.test.op, ast.And)):
        return {}
    sides: list[tuple[str, str]] = []
    for value in loop.test.values:
        if not (isinstance(value, ast.Compare) and len(value.ops) == 1):
            return {}
        index, bound = value.left, value.comparators[0]
        if (
            isinstance(index, ast.Name)
            and isinstance(bound, ast.Call)
            and isinstance(bound.func, ast.Name)
            and bound.func.id == "len"
            and len(bound.args) == 1
            and isinstance(bound.args[0], ast.Name)
        ):
            sides.append((index.id, bound.args[0].id))
        else:
            return {}
    if len(sides) != 2 or len({*sides[0], *sides[1]}) != 4:
        return {}
    (i, a), (j, b) = sides
    return {i: j, a: b, j: i, b: a}


def twin_statements(src: Source, function: Function) -> list[Edit]:
    """After `while i < len(a) and j < len(b)`, `out.extend(a[i:])` with no `out.extend(b[j:])`."""
    edits = []
    for block in [function, *(n for n in _own_nodes(function) if hasattr(n, "body"))]:
        body = getattr(block, "body", [])
        if not isinstance(body, list):
            continue
        for index, loop in enumerate(body):
            if not isinstance(loop, ast.While):
                continue
            mapping = _loop_pairs(loop)
            if not mapping:
                continue
            after = body[index + 1 :]
            texts = {ast.dump(s) for s in after}
            for statement in after:
                if isinstance(statement, ast.Return) or not isinstance(statement, ast.Expr):
                    continue
                mentioned = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
                one_side = [k for k in mapping if k in mentioned]
                if len(one_side) != 2 or mapping[one_side[0]] in one_side:
                    continue  # it must use one sequence and its index, not both
                twin = _renamed(statement, mapping)
                if twin is None or ast.dump(twin) in texts:
                    continue
                indent = src.line_indent(statement.lineno)
                line = (statement.end_lineno or statement.lineno) + 1
                code = ast.unparse(twin)
                label = f"add `{code}` next to line {statement.lineno}"
                edits.append(
                    Edit((line, 0), (line, 0), f"{indent}{code}\n", "missing_statement", 1.0, label)
                )
    return edits


def _renamed(statement: ast.stmt, mapping: dict[str, str]) -> ast.stmt | None:
    copy = ast.parse(ast.unparse(statement)).body[0]
    changed = False
    for node in ast.walk(copy):
        if isinstance(node, ast.Name) and node.id in mapping:
            node.id = mapping[node.id]
            changed = True
    return copy if changed else None


def unfilled_seen_set(src: Source, function: Function) -> list[Edit]:
    """`if x not in seen:` where `seen` starts empty and nothing ever adds to it."""
    nodes = _own_nodes(function)
    empty: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name):
                kind = _empty_kind(value)
                if kind:
                    empty[target.id] = kind
    filled = {
        _filled_container(n) for n in nodes if isinstance(n, ast.stmt) and _filled_container(n)
    }
    filled |= {
        t.value.id
        for n in nodes
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
    }
    edits = []
    for node in nodes:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)):
            continue
        test = node.test
        if len(test.ops) != 1 or not isinstance(test.ops[0], ast.NotIn):
            continue
        holder = test.comparators[0]
        if not isinstance(holder, ast.Name) or holder.id not in empty or holder.id in filled:
            continue
        item = src.node_text(test.left)
        kind = empty[holder.id]
        code = {"set": f"{holder.id}.add({item})", "list": f"{holder.id}.append({item})"}.get(
            kind, f"{holder.id}[{item}] = True"
        )
        first = node.body[0]
        indent = src.line_indent(first.lineno)
        label = f"add `{code}` when `{item}` is first seen on line {node.lineno}"
        edits.append(
            src.insert_before_line(
                first.lineno, f"{indent}{code}\n", "missing_statement", 1.0, label
            )
        )
    return edits


def _empty_kind(value: ast.expr) -> str:
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not value.args:
        return {"set": "set", "list": "list", "dict": "dict"}.get(value.func.id, "")
    if isinstance(value, ast.List) and not value.elts:
        return "list"
    if isinstance(value, ast.Dict) and not value.keys:
        return "dict"
    return ""


def loop_progress(src: Source, function: Function) -> list[Edit]:
    """A `while` loop whose condition reads a counter its body never changes."""
    edits = []
    for loop in (n for n in _own_nodes(function) if isinstance(n, ast.While)):
        assigned = {
            n.id for n in ast.walk(loop) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        mutated = {
            n.func.value.id
            for n in ast.walk(loop)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name)
        }
        compare = loop.test if isinstance(loop.test, ast.Compare) else None
        if compare is None or not isinstance(compare.left, ast.Name):
            continue
        counter = compare.left.id
        if counter in assigned or counter in mutated:
            continue
        rising = isinstance(compare.ops[0], ast.Lt | ast.LtE | ast.NotEq)
        steps = ["+= 1", "-= 1"] if rising else ["-= 1", "//= 2", "//= 10", "+= 1"]
        last = loop.body[-1]
        indent = src.line_indent(loop.body[0].lineno)
        line = (last.end_lineno or last.lineno) + 1
        for rank, step in enumerate(steps):
            label = (
                f"advance the loop: `{counter} {step}` at the end of the loop on line {loop.lineno}"
            )
            edits.append(
                Edit(
                    (line, 0),
                    (line, 0),
                    f"{indent}{counter} {step}\n",
                    "loop_update",
                    DECAY**rank,
                    label,
                )
            )
    return edits


def break_continue(src: Source, statement: ast.stmt) -> list[Edit]:
    if isinstance(statement, ast.Break):
        new, old = "continue", "break"
    elif isinstance(statement, ast.Continue):
        new, old = "break", "continue"
    else:
        return []
    label = f"`{old}` → `{new}` on line {statement.lineno}"
    return [src.replace_node(statement, new, "break_continue", 1.0, label)]


def missing_statement_edits(src: Source, function: Function | None) -> list[Edit]:
    if function is None:
        return []
    return [
        *append_after_loop(src, function),
        *twin_statements(src, function),
        *unfilled_seen_set(src, function),
        *loop_progress(src, function),
    ]

"""Container templates: the wrong method, a mutable default argument, an alias where a copy was
meant, one row repeated by `*` where a row per index was meant, and a nested item that was not
recursed into."""

from __future__ import annotations

import ast

from bot.repair.rules.edits import DECAY, Edit, Source
from bot.repair.rules.insertions import is_docstring

Function = ast.FunctionDef | ast.AsyncFunctionDef
METHOD_ALTERNATIVES = {
    "sort": ["reverse"], "reverse": ["sort"], "append": ["extend"], "extend": ["append"],
    "remove": ["discard"], "discard": ["remove"], "add": ["update"], "update": ["add"],
    "lower": ["upper"], "upper": ["lower"], "lstrip": ["rstrip", "strip"],
    "rstrip": ["lstrip", "strip"], "strip": ["rstrip", "lstrip"], "keys": ["values", "items"],
    "values": ["keys", "items"], "items": ["values", "keys"], "find": ["rfind", "index"],
    "rfind": ["find"], "index": ["find"], "split": ["rsplit"], "popleft": ["pop"],
    "appendleft": ["append"], "startswith": ["endswith"], "endswith": ["startswith"],
    "isdigit": ["isalpha", "isalnum"], "isalpha": ["isalnum", "isdigit"],
}  # fmt: skip
MUTATING = {"append", "extend", "insert", "remove", "pop", "sort", "reverse", "clear", "update"}
MUTABLE_LITERALS = (ast.List, ast.Dict, ast.Set)


def method_edits(src: Source, statement: ast.stmt) -> list[Edit]:
    """`words.sort()` where `words.reverse()` was meant; `pop()` ↔ `pop(0)`."""
    edits = []
    for node in ast.walk(statement):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr = node.func.attr
        end = src.end(node.func)
        start = (end[0], end[1] - len(attr))
        if src.segment(start, end) != attr:
            continue
        for rank, new in enumerate(METHOD_ALTERNATIVES.get(attr, [])):
            label = f"method `.{attr}()` → `.{new}()` on line {node.lineno}"
            edits.append(Edit(start, end, new, "container_method", DECAY**rank, label))
        if attr == "pop" and len(node.args) <= 1:
            text = "pop()" if node.args else "pop(0)"
            label = f"`.{src.segment(start, src.end(node))}` → `.{text}` on line {node.lineno}"
            edits.append(Edit(start, src.end(node), text, "container_method", 1.0, label))
    return edits


def mutable_default_edits(src: Source, function: Function | None) -> list[Edit]:
    """`def f(x, acc=[])` → `acc=None` and `if acc is None: acc = []` at the top of the body."""
    if function is None:
        return []
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d]
    body = function.body
    first = body[1] if len(body) > 1 and is_docstring(body[0]) else body[0]
    if first.lineno == function.lineno:
        return []  # a one-line function: no room for the guard
    indent = src.line_indent(first.lineno)
    edits = []
    for arg, default in pairs:
        if not _mutable(default):
            continue
        literal = src.node_text(default)
        guard = f"{indent}if {arg.arg} is None:\n{indent}    {arg.arg} = {literal}\n"
        between = src.segment(src.end(default), (first.lineno, 0))
        label = f"default `{arg.arg}={literal}` → `None`, a new {literal} per call"
        edits.append(
            Edit(src.start(default), (first.lineno, 0), "None" + between + guard,
                 "mutable_default", 1.0, label)
        )  # fmt: skip
    return edits


def _mutable(node: ast.expr) -> bool:
    if isinstance(node, MUTABLE_LITERALS):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("list", "dict", "set", "defaultdict")
    )


def copy_edits(src: Source, statement: ast.stmt, function: Function | None) -> list[Edit]:
    """`result = items` then `result.append(…)`: the caller's list changes; copy it instead."""
    if function is None or not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return []
    target, value = statement.targets[0], statement.value
    if not (isinstance(target, ast.Name) and isinstance(value, ast.Name)):
        return []
    parameters = {a.arg for a in [*function.args.posonlyargs, *function.args.args]}
    if value.id not in parameters or not _mutated(function, target.id):
        return []
    options = [f"list({value.id})", f"{value.id}.copy()", f"[list(row) for row in {value.id}]"]
    return [
        src.replace_node(
            value,
            text,
            "copy",
            DECAY**rank,
            f"copy: `{value.id}` → `{text}` on line {value.lineno}",
        )
        for rank, text in enumerate(options)
    ]


def _mutated(function: Function, name: str) -> bool:
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
            and node.func.attr in MUTATING
        ):
            return True
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            return True
    return False


def recursion_edits(src: Source, statement: ast.stmt, function: Function | None) -> list[Edit]:
    """`out.extend(item)` inside `flatten` where `out.extend(flatten(item))` was meant: the loop
    item handed on as it is instead of through the function itself."""
    if function is None or _positional_count(function) != 1:
        return []
    targets = {
        n.id
        for loop in ast.walk(function)
        if isinstance(loop, ast.For) and loop.lineno <= statement.lineno
        for n in ast.walk(loop.target)
        if isinstance(n, ast.Name)
    }
    edits = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and not _calls(node, function.name):
            for arg in node.args:
                if isinstance(arg, ast.Name) and arg.id in targets:
                    text = f"{function.name}({arg.id})"
                    label = f"recurse: `{arg.id}` → `{text}` on line {arg.lineno}"
                    edits.append(src.replace_node(arg, text, "recursion", 1.0, label))
    return edits


def _positional_count(function: Function) -> int:
    return len([a for a in function.args.args if a.arg not in ("self", "cls")])


def _calls(call: ast.Call, name: str) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == name


def shared_row_edits(src: Source, statement: ast.stmt) -> list[Edit]:
    """`[[0] * n] * m` repeats one row object m times, so writing a cell writes the whole
    column: build a new row per index instead (`[[0] * n for _ in range(m)]`)."""
    edits = []
    for node in ast.walk(statement):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)):
            continue
        for rows, count in ((node.left, node.right), (node.right, node.left)):
            if not (isinstance(rows, ast.List) and len(rows.elts) == 1):
                continue
            row = rows.elts[0]
            if not _builds_container(row):
                continue
            text = f"[{src.node_text(row)} for _ in range({src.node_text(count)})]"
            label = f"a new row each: `{src.node_text(node)}` → `{text}` on line {node.lineno}"
            edits.append(src.replace_node(node, text, "copy", 1.0, label))
    return edits


def _builds_container(node: ast.expr) -> bool:
    """A list/dict/set display, a `[…] * n` row, or a `list()`-like call: a mutable object."""
    if _mutable(node):
        return True
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mult)
        and (isinstance(node.left, ast.List) or isinstance(node.right, ast.List))
    )

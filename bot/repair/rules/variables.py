"""Wrong-variable templates: a local used in place of another, arguments in the wrong order."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bot.repair.rules.edits import Edit, Source
from bot.repair.rules.kinds import impossible_kinds, local_kinds
from bot.repair.rules.twins import (
    makes_repeat,
    named_twins,
    repeated_operand,
    unbound_at,
)

DECAY = 0.85
MAX_ALTERNATIVES = 3
ALIGNED_SWAP_PRIOR = 2.5  # arguments named after the other parameter are a strong signal
UNUSED_PRIOR = 4.0  # a local assigned and never read is what a wrong variable should have been
TWIN_PRIOR = 3.0  # `left` for `right`, `row1` for `row2`: the confusions copy and paste make
REPEATED_PRIOR = 3.0  # `f(x, x)`, `x == x`: one of the two was meant to be another name
RECEIVERS = {"self", "cls"}

Function = ast.FunctionDef | ast.AsyncFunctionDef


def local_names(function: Function) -> set[str]:
    """Parameters and names the function assigns: what a misused variable was meant to be."""
    arguments = function.args
    names = {
        a.arg
        for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    }
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names - RECEIVERS


def _last_mention(function: Function, name: str, line: int, skip: ast.AST) -> tuple[int, int]:
    """(line, -column) of the latest mention of `name` at or before `line`: nearer is likelier."""
    best = (0, 0)
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and node is not skip:
            if node.lineno <= line:
                best = max(best, (node.lineno, -node.col_offset))
        elif isinstance(node, ast.arg) and node.arg == name:
            best = max(best, (node.lineno, -node.col_offset))
    return best


def unused_locals(function: Function) -> set[str]:
    """Locals the function assigns (or takes) but never reads."""
    read = {
        n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    return {name for name in local_names(function) if name not in read and name != "_"}


def variable_alternatives(function: Function, node: ast.Name) -> list[str]:
    """Other locals of the function that can be read at `node`: never-read ones first, then its
    twins, then the most recently mentioned."""
    unused = unused_locals(function)

    def likelihood(name: str) -> tuple[bool, bool, int, int, str]:
        line, column = _last_mention(function, name, node.lineno, node)
        return name not in unused, not named_twins(node.id, name), -line, -column, name

    readable = local_names(function) - {node.id} - unbound_at(function, node)
    return sorted(readable, key=likelihood)


def wrong_variable_edits(
    src: Source, statement: ast.stmt, function: Function | None, template: str, prior: float
) -> list[Edit]:
    """Each local read on the line replaced by its likeliest alternatives (`variable_alternatives`),
    leaving out those whose kind cannot stand there (a loop counter subscripted, a list as an
    index). A name used twice in one operation weighs more, and so does a twin for a name where
    the line reads only one of the two: a line that reads both already tells them apart."""
    if function is None:
        return []
    locals_ = local_names(function)
    unused = unused_locals(function)
    kinds = local_kinds(function)
    parents = {child: node for node in ast.walk(statement) for child in ast.iter_child_nodes(node)}
    edits = []
    read_here = {node.id for node in _own_loads(statement)}
    for node in _own_loads(statement):
        if node.id not in locals_:
            continue
        parent = parents.get(node)
        cannot = impossible_kinds(node, parent)
        repeated = {"later": REPEATED_PRIOR, "earlier": REPEATED_PRIOR / 2, "": 1.0}[
            repeated_operand(node, parent)
        ]
        possible = [
            name for name in variable_alternatives(function, node) if kinds.get(name) not in cannot
        ]
        for rank, new in enumerate(possible[:MAX_ALTERNATIVES]):
            label = f"variable `{node.id}` → `{new}` on line {node.lineno}"
            weight = prior * DECAY**rank * repeated
            weight *= UNUSED_PRIOR if new in unused else 1.0
            lone_twin = named_twins(node.id, new) and new not in read_here
            weight *= TWIN_PRIOR if lone_twin else 1.0
            weight /= REPEATED_PRIOR if makes_repeat(node, parent, new) else 1.0
            edits.append(src.replace_node(node, new, template, weight, label))
    return edits


def _own_loads(statement: ast.stmt) -> Iterator[ast.Name]:
    roots: list[ast.AST]
    if isinstance(statement, ast.If | ast.While):
        roots = [statement.test]
    elif isinstance(statement, ast.For | ast.AsyncFor):
        roots = [statement.iter]
    elif isinstance(statement, Function | ast.ClassDef | ast.Try | ast.With | ast.AsyncWith):
        roots = []
    else:
        roots = [statement]
    for root in roots:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                yield node


def parameter_names(tree: ast.Module) -> dict[str, list[str]]:
    """Positional parameter names of the module's functions, methods and classes (`__init__`)."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, Function):
            found.setdefault(node.name, [a.arg for a in node.args.args])
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, Function) and item.name == "__init__":
                    found.setdefault(node.name, [a.arg for a in item.args.args])
    return {
        name: params[1:] if params[:1] and params[0] in RECEIVERS else params
        for name, params in found.items()
    }


def aligned_swap_prior(call: ast.Call, index: int, parameters: dict[str, list[str]]) -> float:
    """How much likelier swapping arguments `index` and `index + 1` is, from parameter names."""
    func = call.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    params = parameters.get(name)
    if not params or len(params) <= index + 1:
        return 1.0
    first, second = call.args[index], call.args[index + 1]
    here, there = params[index], params[index + 1]
    names_first = {n.id for n in ast.walk(first) if isinstance(n, ast.Name)}
    names_second = {n.id for n in ast.walk(second) if isinstance(n, ast.Name)}
    moved_forward = there in names_first and here not in names_first
    moved_back = here in names_second and there not in names_second
    if moved_forward or moved_back:
        return ALIGNED_SWAP_PRIOR
    return 1.0

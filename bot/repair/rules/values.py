"""Value templates: a wrong returned value, a wrong initial value, a missing `+ 1` on a computed
value, and a result built in the reverse order."""

from __future__ import annotations

import ast

from bot.repair.rules.edits import DECAY, Edit, Source, parenthesize
from bot.repair.rules.hints import Hints

Function = ast.FunctionDef | ast.AsyncFunctionDef
BARE_NAME_WEIGHT = 0.6
RETURN_LITERALS = ["-1", "0", "None", "False", "True", '""', "[]"]


def _literal_kind(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return "other"
    return type(value).__name__


def _returned_kinds(function: Function | None) -> set[str]:
    """Types of the literal and obviously typed values the function returns elsewhere."""
    kinds: set[str] = set()
    if function is None:
        return kinds
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Constant):
                kinds.add(type(value.value).__name__)
            elif isinstance(value, ast.Compare | ast.BoolOp) or (
                isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)
            ):
                kinds.add("bool")
    return kinds


def _containers(function: Function) -> list[str]:
    """Locals that start as an empty list, set or dict."""
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            empty = (isinstance(value, ast.List | ast.Set | ast.Dict) and not _elements(value)) or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in ("list", "set", "dict", "deque")
                and not value.args
            )
            if empty and isinstance(target, ast.Name) and target.id not in found:
                found.append(target.id)
    return found


def _elements(node: ast.expr) -> list[ast.expr | None]:
    if isinstance(node, ast.Dict):
        return list(node.keys)
    return list(node.elts) if isinstance(node, ast.List | ast.Set) else []


def return_value_edits(
    src: Source, statement: ast.stmt, function: Function | None, hints: Hints
) -> list[Edit]:
    """`return None` where -1 was expected; `return True` where `not stack` was meant."""
    if not isinstance(statement, ast.Return) or function is None:
        return []
    value = statement.value
    if value is not None and not isinstance(value, ast.Constant):
        return []
    old = src.node_text(value) if value is not None else "None"
    kinds = _returned_kinds(function) - {"NoneType"}
    options = list(dict.fromkeys([*hints.expected_literals, *RETURN_LITERALS]))
    edits = []
    rank = 0
    for text in options:
        if text == old:
            continue
        # `None` for `False` is not a fix: keep the type the other returns have
        if kinds and _literal_kind(text) not in kinds and text not in hints.expected_literals:
            continue
        label = f"return `{text}` instead of `{old}` on line {statement.lineno}"
        edits.append(_replace_return(src, statement, text, DECAY**rank, label))
        rank += 1
    if old in ("True", "False"):
        for name in _containers(function):
            text = f"not {name}" if old == "True" else f"bool({name})"
            label = f"return `{text}` instead of `{old}` on line {statement.lineno}"
            edits.append(_replace_return(src, statement, text, 1.0, label))
    return edits


def _replace_return(
    src: Source, statement: ast.Return, text: str, prior: float, label: str
) -> Edit:
    if statement.value is None:
        return src.replace_node(statement, f"return {text}", "return_value", prior, label)
    return src.replace_node(statement.value, text, "return_value", prior, label)


def reversed_result_edits(
    src: Source, statement: ast.stmt, function: Function | None
) -> list[Edit]:
    """`return out` (or `"".join(out)`) where `out` was built back to front."""
    if not isinstance(statement, ast.Return) or statement.value is None or function is None:
        return []
    built = set(_containers(function))
    edits = []
    for node in ast.walk(statement.value):
        if isinstance(node, ast.Name) and node.id in built:
            label = f"return `{node.id}` reversed on line {statement.lineno}"
            edits.append(src.replace_node(node, f"{node.id}[::-1]", "reverse_result", 1.0, label))
    return edits


def _loop_targets(function: Function, line: int) -> list[str]:
    """Names bound by the `for` loops around `line`, innermost first."""
    loops = [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.For) and n.lineno < line <= (n.end_lineno or n.lineno)
    ]
    loops.sort(key=lambda n: -n.lineno)
    names: list[str] = []
    for loop in loops:
        for node in ast.walk(loop.target):
            if isinstance(node, ast.Name) and node.id not in names:
                names.append(node.id)
    return names


def initial_value_edits(src: Source, statement: ast.stmt, function: Function | None) -> list[Edit]:
    """`best = 0` before `best = max(best, …)` (→ -inf or the first item); a constant stored
    inside a loop where the loop's variable was meant (`d[0][j] = 0` → `j`)."""
    if function is None or not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return []
    target, value = statement.targets[0], statement.value
    edits: list[Edit] = []
    if isinstance(value, ast.Constant) and type(value.value) in (int, float):
        for rank, name in enumerate(_loop_targets(function, statement.lineno)):
            label = f"`{src.node_text(value)}` → `{name}` on line {statement.lineno}"
            edits.append(src.replace_node(value, name, "initial_value", DECAY**rank, label))
        if isinstance(target, ast.Name):
            edits += _extreme_starts(src, function, target.id, value)
    return edits


def _extreme_starts(src: Source, function: Function, name: str, value: ast.Constant) -> list[Edit]:
    folds = {
        n.func.id
        for n in ast.walk(function)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id in ("max", "min")
        and any(isinstance(a, ast.Name) and a.id == name for a in n.args)
    }
    iterated = [
        n.iter.id
        for n in ast.walk(function)
        if isinstance(n, ast.For) and isinstance(n.iter, ast.Name)
    ]
    edits = []
    for fold in sorted(folds):
        starts = [f"{seq}[0]" for seq in iterated[:1]]
        starts.append('float("-inf")' if fold == "max" else 'float("inf")')
        for rank, text in enumerate(starts):
            label = f"start `{name}` at `{text}` on line {value.lineno}"
            edits.append(src.replace_node(value, text, "initial_value", DECAY**rank, label))
    return edits


def plus_one_edits(src: Source, statement: ast.stmt) -> list[Edit]:
    """A computed value missing its `+ 1`: an assigned value, or an argument of max/min."""
    spots: list[ast.expr] = []
    if isinstance(statement, ast.Assign) and isinstance(
        statement.value, ast.Name | ast.Subscript | ast.Call
    ):
        spots.append(statement.value)
    for node in ast.walk(statement):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("max", "min")
        ):
            spots += [a for a in node.args if isinstance(a, ast.Name | ast.Subscript)]
    edits = []
    for spot in spots:
        text = parenthesize(src.node_text(spot), spot)
        # a copied name is less often off by one than a looked-up or computed value
        weight = BARE_NAME_WEIGHT if isinstance(spot, ast.Name) else 1.0
        for rank, variant in enumerate((f"{text} + 1", f"{text} - 1")):
            label = f"`{src.node_text(spot)}` → `{variant}` on line {spot.lineno}"
            edits.append(src.replace_node(spot, variant, "plus_one", weight * DECAY**rank, label))
    return edits

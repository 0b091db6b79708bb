"""Recursion base cases: stop where the recursive call shrinks its argument to nothing, and give
the boundary its own answer where one case covers it with the out-of-range ones."""

from __future__ import annotations

import ast

from bot.repair.rules.edits import Edit, Source
from bot.repair.rules.insertions import DECAY, is_docstring


def base_case_edits(
    src: Source, function: ast.FunctionDef | ast.AsyncFunctionDef | None
) -> list[Edit]:
    """For RecursionError: stop when the parameter the recursive call shrinks is smallest."""
    if function is None or not function.args.args:
        return []
    body = function.body
    first = body[1] if len(body) > 1 and is_docstring(body[0]) else body[0]
    indent = src.line_indent(first.lineno)
    cases = list(dict.fromkeys(_shrinking_cases(function) + _first_parameter_cases(function)))
    edits = []
    for rank, (condition, result) in enumerate(cases):
        text = f"{indent}if {condition}:\n{indent}    return {result}\n"
        edits.append(
            src.insert_before_line(
                first.lineno,
                text,
                "base_case",
                DECAY**rank,
                f"base case `if {condition}: return {result}` in {function.name}()",
            )
        )
    return edits


SPLIT_ANSWERS = ("1", "0")
_STRICT = {ast.LtE: "<", ast.GtE: ">"}


def split_base_case_edits(
    src: Source, function: ast.FunctionDef | ast.AsyncFunctionDef | None
) -> list[Edit]:
    """`if n <= 0: return 0` → `if n < 0: return 0` and `if n == 0: return 1`: counting
    recursions answer 1 at the boundary (one way to climb no stairs) and 0 beyond it, and one
    merged case gets every answer wrong, and no single edit of it is right."""
    if function is None or not calls_itself(function):
        return []
    parameters = {a.arg for a in function.args.args}
    edits = []
    for statement in function.body:
        if not isinstance(statement, ast.If):
            continue
        case = _merged_base_case(statement, parameters)
        if case is None:
            continue
        name, strict, bound, answer = case
        inner = src.line_indent(statement.body[0].lineno)
        outer = src.line_indent(statement.lineno)
        choices = [a for a in SPLIT_ANSWERS if a != answer]
        for rank, boundary_answer in enumerate(choices):
            text = (
                f"if {name} {strict} {bound}:\n{inner}return {answer}\n"
                f"{outer}if {name} == {bound}:\n{inner}return {boundary_answer}"
            )
            edits.append(
                src.replace_node(
                    statement,
                    text,
                    "base_case",
                    DECAY**rank,
                    f"base case split: `{name} {strict} {bound}` returns {answer}, "
                    f"`{name} == {bound}` returns {boundary_answer} on line {statement.lineno}",
                )
            )
    return edits


def _merged_base_case(statement: ast.If, parameters: set[str]) -> tuple[str, str, str, str] | None:
    """(name, strict operator, bound, answer) of `if name <= bound: return answer`, where the
    answer is a number (a count: not a flag, not None)."""
    if statement.orelse or len(statement.body) != 1:
        return None
    test, body = statement.test, statement.body[0]
    if not (isinstance(body, ast.Return) and isinstance(body.value, ast.Constant)):
        return None
    if type(body.value.value) is not int:
        return None
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    strict = _STRICT.get(type(test.ops[0]))
    left, right = test.left, test.comparators[0]
    if strict is None or not (isinstance(left, ast.Name) and left.id in parameters):
        return None
    if not (isinstance(right, ast.Constant) and type(right.value) is int):
        return None
    return left.id, strict, repr(right.value), repr(body.value.value)


def _first_parameter_cases(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> list[tuple[str, str]]:
    params = [a.arg for a in function.args.args if a.arg not in ("self", "cls")]
    if not params:
        return []
    param = params[0]
    return [
        (condition, result)
        for condition in (f"{param} <= 1", f"{param} <= 0", f"not {param}")
        for result in (param, "1", "0")
    ]


def _shrinking_cases(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, str]]:
    """`f(n - 1)` → `n <= 0`…; `f(n // 2)` → `n == 0`…; `f(xs[1:])` → `not xs`…"""
    params = [a.arg for a in function.args.args]
    offset = 1 if params[:1] and params[0] in ("self", "cls") else 0
    cases: list[tuple[str, str]] = []
    for call in ast.walk(function):
        if not isinstance(call, ast.Call) or _called_name(call) != function.name:
            continue
        for index, arg in enumerate(call.args):
            if index + offset >= len(params):
                break
            param = params[index + offset]
            if isinstance(arg, ast.Name) and arg.id == param:
                continue
            if not any(isinstance(n, ast.Name) and n.id == param for n in ast.walk(arg)):
                continue
            if isinstance(arg, ast.BinOp) and isinstance(
                arg.op, ast.FloorDiv | ast.Div | ast.RShift
            ):
                conditions = [f"{param} == 0", f"{param} <= 0", f"{param} <= 1"]
            elif isinstance(arg, ast.BinOp):
                conditions = [f"{param} <= 1", f"{param} <= 0", f"{param} == 0"]
            else:
                conditions = [f"not {param}", f"len({param}) <= 1"]
            results = ["1", "0", param] if isinstance(arg, ast.BinOp) else [param, "0", "1"]
            cases += [(c, r) for c in conditions for r in results]
    return cases


def calls_itself(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(call, ast.Call) and _called_name(call) == function.name
        for call in ast.walk(function)
    )


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""

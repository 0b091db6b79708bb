"""Every template's edits for one suspicious statement, and the function-wide ones once per
function: what the rule engine scores and searches."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from bot.repair.rules.containers import (
    copy_edits,
    method_edits,
    mutable_default_edits,
    recursion_edits,
    shared_row_edits,
)
from bot.repair.rules.edits import Edit, Source
from bot.repair.rules.hints import Hints
from bot.repair.rules.insertions import guard_edits, missing_return_edits
from bot.repair.rules.names import module_names
from bot.repair.rules.order import (
    index_swaps,
    operand_swaps,
    slice_length_edits,
    slice_sign_flips,
)
from bot.repair.rules.recursion import base_case_edits, calls_itself, split_base_case_edits
from bot.repair.rules.statements import break_continue, missing_statement_edits
from bot.repair.rules.templates import expression_edits, walk_own
from bot.repair.rules.values import (
    initial_value_edits,
    plus_one_edits,
    return_value_edits,
    reversed_result_edits,
)
from bot.repair.rules.variables import parameter_names, wrong_variable_edits

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class FileView:
    """One parsed file and what has been generated for it already."""

    src: Source
    tree: ast.Module
    names: set[str] = field(default_factory=set)
    parameters: dict[str, list[str]] = field(default_factory=dict)
    functions_done: set[int] = field(default_factory=set)

    @classmethod
    def parse(cls, text: str) -> FileView:
        tree = ast.parse(text)
        return cls(Source(text), tree, module_names(tree), parameter_names(tree))


def statement_edits(
    view: FileView, statement: ast.stmt, function: Function | None, hints: Hints
) -> list[Edit]:
    """Templates that change the statement itself."""
    src = view.src
    edits = expression_edits(src, statement, hints, view.names, view.parameters)
    edits += wrong_variable_edits(src, statement, function, "wrong_variable", 1.0)
    if hints.none_involved or hints.main_exc in ("IndexError", "ZeroDivisionError"):
        edits += guard_edits(src, statement, function, hints)
    for node in walk_own(statement):
        edits += operand_swaps(src, node)
        edits += index_swaps(src, node)
        edits += slice_sign_flips(src, node)
        edits += slice_length_edits(src, node)
    edits += break_continue(src, statement)
    edits += method_edits(src, _header_only(statement))
    edits += return_value_edits(src, statement, function, hints)
    edits += reversed_result_edits(src, statement, function)
    edits += initial_value_edits(src, statement, function)
    edits += plus_one_edits(src, _header_only(statement))
    edits += copy_edits(src, statement, function)
    edits += shared_row_edits(src, _header_only(statement))
    edits += recursion_edits(src, _header_only(statement), function)
    return edits


def function_edits(view: FileView, function: Function | None, hints: Hints) -> list[Edit]:
    """Templates that look at a whole function: once per function, whichever line led there."""
    if function is None or function.lineno in view.functions_done:
        return []
    view.functions_done.add(function.lineno)
    src = view.src
    none_returned = hints.none_involved or hints.none_in_assertion
    edits = missing_return_edits(src, function, none_returned)
    edits += missing_statement_edits(src, function)
    edits += mutable_default_edits(src, function)
    edits += split_base_case_edits(src, function)
    if hints.main_exc == "RecursionError" or (
        hints.main_exc == "Timeout" and calls_itself(function)
    ):
        edits += base_case_edits(src, function)
    return edits


def _header_only(statement: ast.stmt) -> ast.stmt:
    """A compound statement's own line, without its body (whose lines are located separately)."""
    if isinstance(statement, ast.If | ast.While):
        return ast.Expr(value=statement.test, lineno=statement.lineno, col_offset=0)
    if isinstance(statement, ast.For | ast.AsyncFor):
        return ast.Expr(value=statement.iter, lineno=statement.lineno, col_offset=0)
    if isinstance(statement, Function | ast.ClassDef | ast.Try | ast.With | ast.AsyncWith):
        return ast.Pass(lineno=statement.lineno, col_offset=0)
    return statement

"""Statement-level fix templates: missing import, None/empty guard, missing return."""

from __future__ import annotations

import ast
import sys

from bot.repair.rules.edits import Edit, Source
from bot.repair.rules.hints import Hints

DECAY = 0.85
WELL_KNOWN_NAMES = {
    "defaultdict": "collections",
    "Counter": "collections",
    "OrderedDict": "collections",
    "namedtuple": "collections",
    "deque": "collections",
    "dataclass": "dataclasses",
    "field": "dataclasses",
    "Path": "pathlib",
    "datetime": "datetime",
    "timedelta": "datetime",
    "date": "datetime",
    "partial": "functools",
    "reduce": "functools",
    "lru_cache": "functools",
    "wraps": "functools",
    "chain": "itertools",
    "groupby": "itertools",
    "Any": "typing",
    "Optional": "typing",
    "Iterable": "collections.abc",
    "Callable": "collections.abc",
    "Enum": "enum",
    "Decimal": "decimal",
    "Fraction": "fractions",
    "sqrt": "math",
    "floor": "math",
    "ceil": "math",
    "pi": "math",
    "dedent": "textwrap",
    "pprint": "pprint",
    "copy": "copy",
    "deepcopy": "copy",
    "sleep": "time",
    "randint": "random",
    "choice": "random",
}
FALLBACK_DEFAULTS = ["None", '""', "0", "[]", "False"]
PURE_FUNCTIONS = {
    "sum", "len", "sorted", "min", "max", "abs", "round", "any", "all", "list", "tuple", "set",
    "dict", "str", "int", "float", "bool", "reversed", "divmod", "pow", "repr", "frozenset",
}  # fmt: skip
PURE_METHODS = {
    "join", "format", "strip", "lstrip", "rstrip", "split", "lower", "upper", "replace", "copy",
    "get", "keys", "values", "items", "startswith", "endswith", "count", "index", "find",
}  # fmt: skip


def import_edits(
    src: Source, tree: ast.Module, hints: Hints, repo_imports: dict[str, str]
) -> list[Edit]:
    """`import re` (or `from m import x`) for names the failure says are not defined."""
    line = _import_insertion_line(tree)
    defined = {
        (a.asname or a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    edits = []
    for name in hints.undefined_names:
        if name in defined:
            continue
        statements = []
        if name in repo_imports:
            statements.append(repo_imports[name])
        if name in sys.stdlib_module_names:
            statements.append(f"import {name}")
        if name in WELL_KNOWN_NAMES:
            statements.append(f"from {WELL_KNOWN_NAMES[name]} import {name}")
        for rank, statement in enumerate(dict.fromkeys(statements)):
            edits.append(
                src.insert_before_line(
                    line, statement + "\n", "import", DECAY**rank, f"add `{statement}`"
                )
            )
    return edits


def _import_insertion_line(tree: ast.Module) -> int:
    """After the last top-level import, else after the docstring, else the first line."""
    line = 1
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom) or (
            index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ):
            line = (node.end_lineno or node.lineno) + 1
    return line


def guard_edits(
    src: Source,
    statement: ast.stmt,
    function: ast.FunctionDef | ast.AsyncFunctionDef | None,
    hints: Hints,
) -> list[Edit]:
    """`if x is None: return D` (or `if not x:`) before the statement that crashed on x."""
    if function is None or isinstance(
        statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ):
        return []
    suspects = _suspect_names(statement, hints)
    if not suspects:
        return []
    indent = src.line_indent(statement.lineno)
    defaults = list(dict.fromkeys([*hints.expected_literals, *FALLBACK_DEFAULTS]))
    exc = hints.main_exc
    checks = []
    if hints.none_involved:
        checks.append(("none_guard", "{} is None"))
    if (
        exc in ("IndexError", "ZeroDivisionError", "ValueError", "StopIteration")
        or not hints.none_involved
    ):
        checks.append(("empty_guard", "not {}"))
    edits = []
    for name in suspects[:2]:
        for template, condition in checks:
            for rank, default in enumerate(defaults):
                text = f"{indent}if {condition.format(name)}:\n{indent}    return {default}\n"
                check = condition.format(name)
                label = f"return {default} when `{check}` before line {statement.lineno}"
                edits.append(
                    src.insert_before_line(statement.lineno, text, template, DECAY**rank, label)
                )
    return edits


def _suspect_names(statement: ast.stmt, hints: Hints) -> list[str]:
    names: list[str] = []
    for node in ast.walk(statement):
        target: ast.expr | None = None
        if (
            isinstance(node, ast.Attribute)
            and (not hints.missing_attributes or node.attr in hints.missing_attributes)
        ) or isinstance(node, ast.Subscript):
            target = node.value
        elif isinstance(node, ast.For):
            target = node.iter
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod):
            target = node.right
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("len", "max", "min", "next")
        ):
            target = node.args[0] if node.args else None
        if (
            isinstance(target, ast.Call)
            and isinstance(target.func, ast.Name)
            and target.func.id == "len"
            and target.args
        ):
            target = target.args[0]
        name = _guardable(target)
        if name and name not in names:
            names.append(name)
    return names


def _guardable(target: ast.expr | None) -> str:
    """`x` or `self.x`; never `self` itself, which cannot be None or empty."""
    if isinstance(target, ast.Name):
        return "" if target.id in ("self", "cls") else target.id
    if (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id in ("self", "cls")
    ):
        return f"{target.value.id}.{target.attr}"
    return ""


def missing_return_edits(
    src: Source, function: ast.FunctionDef | ast.AsyncFunctionDef | None, none_returned: bool
) -> list[Edit]:
    """A value computed and dropped (`a / b` as a statement), or computed last, never returned."""
    if function is None:
        return []
    edits = [
        src.replace_node(
            node,
            "return " + src.node_text(node.value),
            "missing_return",
            1.0,
            f"return the dropped value on line {node.lineno} of {function.name}()",
        )
        for node in ast.walk(function)
        if isinstance(node, ast.Expr) and _is_dropped_value(node.value)
    ]
    if not none_returned or any(
        isinstance(n, ast.Return) and n.value is not None for n in ast.walk(function)
    ):
        return edits
    last = function.body[-1]
    indent = src.line_indent(last.lineno)
    end_line = last.end_lineno or last.lineno
    name = ""
    if (
        isinstance(last, ast.Assign)
        and len(last.targets) == 1
        and isinstance(last.targets[0], ast.Name)
    ):
        name = last.targets[0].id
    elif isinstance(last, ast.AugAssign) and isinstance(last.target, ast.Name):
        name = last.target.id
    elif (
        isinstance(last, ast.Expr)
        and not isinstance(last.value, ast.Constant)
        and not _is_dropped_value(last.value)
    ):
        text = "return " + src.node_text(last.value)
        label = f"return the last expression of {function.name}()"
        edits.append(src.replace_node(last, text, "missing_return", 0.9, label))
    if name:
        edits.append(
            src.insert_before_line(
                end_line + 1,
                f"{indent}return {name}\n",
                "missing_return",
                1.0,
                f"return `{name}` at the end of {function.name}()",
            )
        )
    return edits


def _is_dropped_value(value: ast.expr) -> bool:
    """An expression statement with no effect: its value was surely meant to be used."""
    if isinstance(value, ast.Constant | ast.Await | ast.Yield | ast.YieldFrom | ast.NamedExpr):
        return False
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name):
            return func.id in PURE_FUNCTIONS
        return isinstance(func, ast.Attribute) and func.attr in PURE_METHODS
    return not any(isinstance(n, ast.Call | ast.Await | ast.NamedExpr) for n in ast.walk(value))


def is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )

"""What a local certainly holds (a number, text, a collection), read from how the function binds
it, and the kinds a name cannot hold where it is used: so that a wrong-variable candidate never
subscripts a loop counter or indexes with a list, edits that can only raise TypeError."""

from __future__ import annotations

import ast

Function = ast.FunctionDef | ast.AsyncFunctionDef

NUMBER, TEXT, COLLECTION = "number", "text", "collection"
NUMBER_CALLS = {"len", "int", "float", "abs", "round", "ord", "sum"}
COLLECTION_CALLS = {"list", "dict", "set", "tuple", "sorted", "frozenset"}
COLLECTION_DISPLAYS = (
    ast.List,
    ast.Dict,
    ast.Set,
    ast.Tuple,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
)
NUMBER_OPERATORS = (ast.Add, ast.Sub, ast.Div, ast.FloorDiv, ast.Pow)
ITERATING_CALLS = {"len", "sorted", "reversed", "enumerate", "zip", "sum", "any", "all", "set"}
ARITHMETIC_ONLY = (ast.Sub, ast.Div, ast.FloorDiv, ast.Pow)
UNKNOWN = ""


def local_kinds(function: Function) -> dict[str, str]:
    """Each local every binding of which gives one kind; parameters, names bound by unpacking,
    `with`, `except` or a comprehension, and names bound to different kinds are left out."""
    bindings: dict[str, list[ast.expr | None]] = {}
    arguments = function.args
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        bindings.setdefault(arg.arg, []).append(None)
    for node in ast.walk(function):
        for name, value in _bindings(node):
            bindings.setdefault(name, []).append(value)
    kinds: dict[str, str] = {}
    # Names bound from other names settle over a few passes (`n = len(xs)`, `m = n - 1`).
    for _ in range(3):
        for name, values in bindings.items():
            found = {expression_kind(v, kinds) if v is not None else UNKNOWN for v in values}
            if len(found) == 1 and UNKNOWN not in found:
                kinds[name] = found.pop()
    return kinds


def _bindings(node: ast.AST) -> list[tuple[str, ast.expr | None]]:
    """(name, value) pairs a node binds; None where the value's kind cannot be read. `x += …`
    keeps the kind the name had (or raises), so it is not a binding here."""
    if isinstance(node, ast.Assign):
        simple = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        return [(n, node.value if simple else None) for t in node.targets for n in _names(t)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [(node.target.id, node.value)]
    if isinstance(node, ast.For | ast.AsyncFor):
        if isinstance(node.target, ast.Name) and _is_call_to(node.iter, "range"):
            return [(node.target.id, ast.Constant(0))]
        return [(n, None) for n in _names(node.target)]
    if isinstance(node, ast.With | ast.AsyncWith):
        targets = [item.optional_vars for item in node.items if item.optional_vars]
        return [(n, None) for target in targets for n in _names(target)]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [(node.name, None)]
    if isinstance(node, ast.comprehension | ast.NamedExpr):
        return [(n, None) for n in _names(node.target)]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [((a.asname or a.name).split(".")[0], None) for a in node.names]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [(node.name, None)]
    return []


def _names(target: ast.AST) -> list[str]:
    """Names a target rebinds (`dp[i][j] = …` rebinds none: it changes `dp`, keeping its kind)."""
    return [
        n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    ]


def _is_call_to(node: ast.AST, *names: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


def expression_kind(node: ast.expr, kinds: dict[str, str]) -> str:
    """The kind an expression certainly has, given the kinds of locals; UNKNOWN when unsure."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or node.value is None:
            return UNKNOWN
        if isinstance(node.value, int | float):
            return NUMBER
        return TEXT if isinstance(node.value, str) else UNKNOWN
    if isinstance(node, COLLECTION_DISPLAYS):
        return COLLECTION
    if isinstance(node, ast.JoinedStr):
        return TEXT
    if isinstance(node, ast.Name):
        return kinds.get(node.id, UNKNOWN)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in NUMBER_CALLS:
            return NUMBER
        if node.func.id in COLLECTION_CALLS:
            return COLLECTION
        return TEXT if node.func.id == "str" else UNKNOWN
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return NUMBER if expression_kind(node.operand, kinds) == NUMBER else UNKNOWN
    if isinstance(node, ast.BinOp):
        left, right = expression_kind(node.left, kinds), expression_kind(node.right, kinds)
        if isinstance(node.op, ast.Mult) and COLLECTION in (left, right):
            return COLLECTION  # `[0] * n`
        if left == right:
            return left
        if isinstance(node.op, NUMBER_OPERATORS) and {left, right} == {NUMBER, UNKNOWN}:
            return NUMBER  # `n + 1` is a number, or raises
        return UNKNOWN
    return UNKNOWN


def impossible_kinds(node: ast.Name, parent: ast.AST | None) -> set[str]:
    """Kinds a name cannot hold where `node` stands without raising TypeError every time."""
    if parent is None:
        return set()
    if isinstance(parent, ast.Subscript):
        if parent.value is node:
            return {NUMBER}  # `i[...]`
        if parent.slice is node:
            return {COLLECTION}  # unhashable, and no list index
    if isinstance(parent, ast.For | ast.AsyncFor | ast.comprehension) and parent.iter is node:
        return {NUMBER}
    if isinstance(parent, ast.Call) and node in parent.args:
        if _is_call_to(parent, *ITERATING_CALLS):
            return {NUMBER}
        if _is_call_to(parent, "max", "min") and len(parent.args) == 1:
            return {NUMBER}  # `max(xs)` iterates; `max(a, b)` compares
        if _is_call_to(parent, "range"):
            return {COLLECTION, TEXT}
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ARITHMETIC_ONLY):
        return {COLLECTION, TEXT}
    return set()

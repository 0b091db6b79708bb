"""Which locals a wrong-variable bug most often confuses: twins (`left`/`right`, `letters_a`/
`letters_b`, `left_max`/`right_max`), a name used twice where two different operands
belong (`f(x, x)`, `x == x`, `a % a`), and which names cannot be read yet at a use (bound only
on a later line, outside any loop): the wrong-variable template's evidence besides nearness."""

from __future__ import annotations

import ast
import re

Function = ast.FunctionDef | ast.AsyncFunctionDef

COUNTERPARTS = [
    {"left", "right"},
    {"lo", "hi", "mid"},
    {"low", "high", "mid"},
    {"start", "end", "stop"},
    {"begin", "end"},
    {"first", "second", "last"},
    {"min", "max"},
    {"prev", "next", "cur", "curr", "current"},
    {"src", "dst"},
    {"source", "target"},
    {"old", "new"},
    {"head", "tail"},
    {"top", "bottom"},
    {"width", "height"},
    {"row", "col", "column"},
    {"rows", "cols", "columns"},
    {"key", "value", "val"},
    {"keys", "values"},
    {"before", "after"},
    {"inner", "outer"},
    {"odd", "even"},
    {"x", "y", "z"},
    {"u", "v"},
]
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def words(name: str) -> list[str]:
    """`left_max` → [left, max]; `leftMax` → [left, max]; `row2` → [row, 2]."""
    return [w.lower() for part in name.split("_") for w in _WORD.findall(part)]


def _counterparts(a: str, b: str) -> bool:
    return any(a in group and b in group for group in COUNTERPARTS)


def _small(word: str) -> bool:
    """A one-letter or numbered word: `a`/`b`, `i`/`j`, `1`/`2` name siblings, not meanings."""
    return len(word) == 1 or word.isdigit()


def named_twins(old: str, new: str) -> bool:
    """Names that differ in one word, where the two words are siblings: counterparts, or letters
    and numbers beside a shared word (`letters_a`/`letters_b`). Bare one-letter names (`a`/`b`,
    `i`/`j`) are not twins by name: they are everyone's siblings, so it would say nothing."""
    here, there = words(old), words(new)
    if old == new or len(here) != len(there) or not here:
        return False
    differing = [(a, b) for a, b in zip(here, there, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if _counterparts(a, b) and not (_small(a) and len(here) == 1):
        return True
    return _small(a) and _small(b) and len(here) > 1


def _operands(parent: ast.AST | None) -> list[ast.expr]:
    """The operands one operation combines, where two equal ones are suspect (`x * x` is not)."""
    if isinstance(parent, ast.BinOp) and not isinstance(parent.op, ast.Mult | ast.Pow):
        return [parent.left, parent.right]
    if isinstance(parent, ast.Compare):
        return [parent.left, *parent.comparators]
    if isinstance(parent, ast.Call):
        return list(parent.args)
    return []


def repeated_operand(node: ast.Name, parent: ast.AST | None) -> str:
    """Whether `node` is one of two identical names combined by one operation (`f(x, x)`,
    `x - x`, `x == x`): "later", "earlier" or "". A pasted copy is the one left unedited, so the
    later of the two is likelier wrong. Legitimate uses exist: a weight, not a verdict."""
    same = [o for o in _operands(parent) if isinstance(o, ast.Name) and o.id == node.id]
    if len(same) < 2 or not any(o is node for o in same):
        return ""
    return "earlier" if same[0] is node else "later"


def makes_repeat(node: ast.Name, parent: ast.AST | None, new: str) -> bool:
    """Putting `new` at `node` would make such a pair: `end - start` → `start - start`."""
    return any(o is not node and isinstance(o, ast.Name) and o.id == new for o in _operands(parent))


def unbound_at(function: Function, use: ast.Name) -> set[str]:
    """Locals first bound on a line after `use`, where `use` sits in no loop that could run a
    binding first: reading one of them there can only raise UnboundLocalError. One walk of the
    function, whatever the number of locals."""
    arguments = function.args
    every_argument = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every_argument += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    first_bound: dict[str, int] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            if node.lineno <= use.lineno <= (node.end_lineno or node.lineno):
                return set()
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            first_bound[node.id] = min(node.lineno, first_bound.get(node.id, node.lineno))
    later = {name for name, line in first_bound.items() if line > use.lineno}
    return later - {a.arg for a in every_argument}

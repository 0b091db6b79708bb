"""Static policy on the code a candidate adds: an AST walk, not a regex, over each changed
Python file, counting uses before and after the change so only new uses count.

Integrity rules hold for every engine, the fix cache and `truth verify`; the `dangerous` rule
(processes, network, file deletion) may be lifted by a repository's `allow_dangerous_calls`.
The list is documented in README ("What verified means").
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from runner.measurement import Finding
from runner.policy_rules import (
    ATTRIBUTES,
    CALLS,
    COMPARISONS,
    EXITS,
    FORBIDDEN_WORDS,
    METHODS,
    MODULES,
    NAMES,
    STRINGS,
    SYS_STREAMS,
)

RULES_VERSION = 2  # bump when a rule changes: the fix cache drops fixes verified under older ones


def _returns_constant(node: ast.stmt) -> bool:
    return isinstance(node, ast.Return) and isinstance(node.value, ast.Constant)


@dataclass(frozen=True)
class Use:
    rule: str
    name: str
    line: int


def _aliases(tree: ast.AST) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(aliases.get(node.id, node.id))
        return ".".join(reversed(parts))
    return None


def _module_rule(module: str) -> str | None:
    for rule, modules in MODULES.items():
        if module in modules or module.split(".")[0] in modules:
            return rule
    return None


def _is_main_guard(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return (
        isinstance(node, ast.If)
        and isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


class _Finder(ast.NodeVisitor):
    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.uses: list[Use] = []
        self.depth = 0  # inside a function: module-level exits only count at depth 0

    def add(self, rule: str, name: str, node: ast.AST) -> None:
        self.uses.append(Use(rule, name, getattr(node, "lineno", 0)))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.startswith("pytest_"):
            self.add("test-framework", f"def {node.name}", node)
        body = [n for n in node.body if not isinstance(n, ast.Expr)]  # docstrings aside
        if node.name in COMPARISONS and len(body) == 1 and _returns_constant(body[0]):
            self.add("always-equal", f"an {node.name} that ignores what it compares", node)
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Assign(self, node: ast.Assign) -> None:
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        value = node.value
        is_constant = isinstance(value, ast.Lambda) and isinstance(value.body, ast.Constant)
        if names & COMPARISONS and is_constant:
            self.add("always-equal", "a comparison that ignores what it compares", node)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        if self.depth == 0 and _is_main_guard(node):
            self.depth += 1  # a script's `if __name__ == "__main__":` never runs on import
            self.generic_visit(node)
            self.depth -= 1
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            rule = _module_rule(alias.name)
            if rule:
                self.add(rule, f"import {alias.name}", node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        rule = _module_rule(module)
        if rule:
            self.add(rule, f"from {module} import", node)
        for alias in node.names:
            dotted = f"{module}.{alias.name}"
            for call_rule, calls in CALLS.items():
                if dotted in calls:
                    self.add(call_rule, dotted, node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func, self.aliases)
        if name is not None:
            for rule, calls in CALLS.items():
                if name in calls:
                    self.add(rule, name, node)
            module_rule = _module_rule(name.rsplit(".", 1)[0]) if "." in name else None
            if module_rule:
                self.add(module_rule, name, node)
            if name in EXITS and self.depth == 0:
                self.add("process-exit", f"{name} at import time", node)
        if isinstance(node.func, ast.Attribute):
            for rule, methods in METHODS.items():
                if node.func.attr in methods:
                    self.add(rule, f".{node.func.attr}()", node)
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if self.depth == 0 and isinstance(raised, ast.Name) and raised.id == "SystemExit":
            self.add("process-exit", "raise SystemExit at import time", node)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        for rule, names in ATTRIBUTES.items():
            if node.attr in names:
                self.add(rule, f".{node.attr}", node)
        if (
            _dotted(node.value, self.aliases) == "sys"
            and node.attr in SYS_STREAMS
            and isinstance(node.ctx, ast.Store)
        ):
            self.add("sys-modules", f"sys.{node.attr} = …", node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        for rule, names in NAMES.items():
            if node.id in names:
                self.add(rule, node.id, node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str | bytes):
            text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            for rule, needles in STRINGS.items():
                if any(needle in text for needle in needles):
                    self.add(rule, repr(text[:40]), node)
            if text.strip() in FORBIDDEN_WORDS:
                self.add("dynamic-code", f"the name {text.strip()!r} as a string", node)


def uses_in(source: str) -> list[Use] | None:
    """Every rule-relevant use in `source`, or None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    finder = _Finder(_aliases(tree))
    finder.visit(tree)
    return finder.uses


def _new_uses(
    before: list[Use], after: list[Use], before_lines: set[str], text: str
) -> Iterator[Use]:
    """Uses in `after` beyond their count in `before`, preferring ones on lines that are new."""
    old = Counter((u.rule, u.name) for u in before)
    lines = text.splitlines()
    # Uses on lines that were already there consume the old counts first.
    ordered = sorted(
        after,
        key=lambda u: not (0 < u.line <= len(lines) and lines[u.line - 1].strip() in before_lines),
    )
    for use in ordered:
        key = (use.rule, use.name)
        if old[key] > 0:
            old[key] -= 1
            continue
        yield use


# Modules some forbidden call lives in: aliasing one would hide the call from a token scan.
CHECKED_MODULES = {name.split(".")[0] for calls in CALLS.values() for name in calls if "." in name}


def _line_uses(text: str, before_lines: set[str]) -> Iterator[Use]:
    """The rules' names on lines that are new, read as tokens: coarser than the AST walk (no
    alias resolution, so aliasing a module is itself refused), never blind to a name written out."""
    checked = {name for calls in CALLS.values() for name in calls} | EXITS
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() in before_lines:
            continue
        code = line.split("#", 1)[0]
        imported = re.match(r"\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", code)
        if imported:
            modules = re.split(r"[,\s]+", imported.group(1) or imported.group(2) or "")
            for module in modules:
                rule = _module_rule(module) if module and module != "as" else None
                if rule:
                    yield Use(rule, f"import {module}", number)
            if " as " in code and {m.split(".")[0] for m in modules} & CHECKED_MODULES:
                yield Use("dynamic-code", "an alias of a module whose calls are checked", number)
        for chain in re.findall(r"[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*", code):
            dotted = re.sub(r"\s+", "", chain)
            parts = dotted.split(".")
            for rule, calls in CALLS.items():
                if dotted in calls or any(".".join(parts[i:]) in calls for i in range(len(parts))):
                    yield Use(rule, dotted, number)
            if dotted in EXITS and not line[:1].isspace():
                yield Use("process-exit", f"{dotted} at import time", number)
            for rule, names in ATTRIBUTES.items():
                if any(part in names for part in parts[1:]):
                    yield Use(rule, dotted, number)
            for rule, names in NAMES.items():
                if parts[0] in names:
                    yield Use(rule, parts[0], number)
            if parts[0] not in checked and _module_rule(parts[0]) and len(parts) > 1:
                yield Use(_module_rule(parts[0]) or "", dotted, number)
        for literal in re.findall(r"""(['"])(.*?)\1""", code):
            for rule, needles in STRINGS.items():
                if any(needle in literal[1] for needle in needles):
                    yield Use(rule, repr(literal[1][:40]), number)


def policy_findings(
    changes: Mapping[str, tuple[str | None, str | None]], allow_dangerous: bool = False
) -> list[Finding]:
    """Findings in changed Python files, `{path: (before or None, after or None)}`."""
    findings: list[Finding] = []
    for path, (before, after) in sorted(changes.items()):
        if after is None or not path.endswith(".py"):
            continue
        before_lines = {line.strip() for line in (before or "").splitlines()}
        after_uses = uses_in(after)
        if after_uses is None and before is not None and uses_in(before) is None:
            # The file was already beyond this Python's grammar (a repository on a newer
            # Python than ours): its added lines are read token by token instead.
            for use in _line_uses(after, before_lines):
                if not (use.rule == "dangerous" and allow_dangerous):
                    findings.append(
                        Finding(use.rule, path, use.line, f"the candidate adds {use.name}")
                    )
            continue
        if after_uses is None:
            findings.append(Finding("unparsable", path, 1, f"{path} is not valid Python after it"))
            continue
        before_uses = uses_in(before or "") or []
        for use in _new_uses(before_uses, after_uses, before_lines, after):
            if use.rule == "dangerous" and allow_dangerous:
                continue
            findings.append(Finding(use.rule, path, use.line, f"the candidate adds {use.name}"))
    findings.sort(key=lambda f: (f.path, f.line))
    return findings

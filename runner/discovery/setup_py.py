"""setup.py read with `ast`, never executed: the literal arguments of its setup() call."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

_REQUIREMENT_FILE = re.compile(r"[\w./-]*requirements[\w./-]*\.(?:txt|in)$")


@dataclass
class SetupFacts:
    install_requires: list[str] = field(default_factory=list)
    tests_require: list[str] = field(default_factory=list)
    extras_require: dict[str, list[str]] = field(default_factory=dict)
    python_requires: str | None = None
    classifiers: list[str] = field(default_factory=list)
    requirement_files: list[str] = field(default_factory=list)  # files setup.py reads


class _Values:
    """Module-level names bound to literals, so `install_requires=REQUIRES` resolves."""

    def __init__(self, tree: ast.Module) -> None:
        self.names: dict[str, ast.expr] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.names[target.id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                self.names[node.target.id] = node.value or ast.Constant(None)

    def resolve(self, node: ast.expr | None, depth: int = 0) -> object:
        if node is None or depth > 8:
            return None
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.resolve(self.names[node.id], depth + 1)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [self.resolve(item, depth + 1) for item in node.elts]
            return [item for item in items if isinstance(item, str)]
        if isinstance(node, ast.Dict):
            resolved: dict[str, object] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                name = self.resolve(key, depth + 1) if key is not None else None
                if isinstance(name, str):
                    resolved[name] = self.resolve(value, depth + 1)
            return resolved
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.resolve(node.left, depth + 1), self.resolve(node.right, depth + 1)
            if isinstance(left, list) and isinstance(right, list):
                return left + right
            return left if isinstance(left, list) else right if isinstance(right, list) else None
        return None


def _setup_call(tree: ast.Module) -> ast.Call | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "setup":
                return node
    return None


def _string_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def read_setup_py(text: str) -> SetupFacts:
    """The declarations a static reading can recover; dynamic values are left out."""
    facts = SetupFacts()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return facts
    facts.requirement_files = sorted(
        {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _REQUIREMENT_FILE.search(node.value)
        }
    )
    call = _setup_call(tree)
    if call is None:
        return facts
    values = _Values(tree)
    keywords = {kw.arg: values.resolve(kw.value) for kw in call.keywords if kw.arg}
    facts.install_requires = _string_list(keywords.get("install_requires"))
    facts.tests_require = _string_list(keywords.get("tests_require"))
    extras = keywords.get("extras_require")
    if isinstance(extras, dict):
        facts.extras_require = {
            str(name).split(":")[0]: _string_list(items) for name, items in extras.items()
        }
    python = keywords.get("python_requires")
    facts.python_requires = python if isinstance(python, str) else None
    facts.classifiers = _string_list(keywords.get("classifiers"))
    return facts

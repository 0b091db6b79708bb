"""Pre-flight sanitization: reject patches that add dangerous calls or touch forbidden paths."""

from __future__ import annotations

import ast
import fnmatch
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.analysis.failures import is_test_path
from bot.repair.diffs import DiffError, apply_diff_in_memory, parse_diff

DANGEROUS_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "breakpoint",
    "os.system",
    "os.popen",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "os.kill",
    "os.fork",
    "os.execv",
    "os.execve",
    "os.execl",
    "os.execvp",
    "os.spawnl",
    "os.spawnv",
    "os.putenv",
    "os.chmod",
    "os.chown",
    "shutil.rmtree",
    "shutil.move",
    "shutil.chown",
    "pickle.loads",
    "pickle.load",
    "marshal.loads",
    "shelve.open",
    "importlib.import_module",
    "ctypes.CDLL",
    "ctypes.cdll.LoadLibrary",
    "pathlib.Path.unlink",
    "pathlib.Path.rmdir",
}
DANGEROUS_MODULES = {
    "subprocess",
    "socket",
    "ctypes",
    "pty",
    "urllib.request",
    "http.client",
    "ftplib",
    "telnetlib",
    "smtplib",
    "requests",
    "httpx",
    "multiprocessing",
}
DANGEROUS_METHODS = {"unlink", "rmdir", "rmtree", "system", "popen"}


@dataclass(frozen=True)
class SanitizeResult:
    ok: bool
    reason: str


def check_patch(
    repo_root: Path,
    diff: str,
    allow_dangerous: bool = False,
    protected_paths: Iterable[str] = (),
) -> SanitizeResult:
    """Accept the diff, or reject it with a reason a person can act on."""
    try:
        patches = parse_diff(diff)
    except DiffError as exc:
        return SanitizeResult(False, f"the patch is not a valid unified diff: {exc}")
    protected = list(protected_paths)
    originals: dict[str, str] = {}
    for patch in patches:
        for name in (patch.old_path, patch.new_path):
            if name is None:
                continue
            problem = _path_problem(name, protected)
            if problem:
                return SanitizeResult(False, problem)
        if patch.is_deletion and is_test_path(patch.path):
            return SanitizeResult(False, f"the patch deletes the test file {patch.path}")
        if patch.old_path is not None:
            source = repo_root / patch.old_path
            if not source.is_file():
                return SanitizeResult(
                    False, f"the patch edits {patch.old_path}, which is not in the repository"
                )
            originals[patch.old_path] = source.read_text(encoding="utf-8", errors="replace")
    try:
        patched = apply_diff_in_memory(originals, diff)
    except DiffError as exc:
        return SanitizeResult(False, f"the patch does not apply: {exc}")
    if allow_dangerous:
        return SanitizeResult(True, "dangerous calls allowed by the repository config")
    for path, after in patched.items():
        if not path.endswith(".py"):
            continue
        added = _dangerous_uses(after) - _dangerous_uses(originals.get(path, ""))
        if added:
            names = ", ".join(sorted(added))
            return SanitizeResult(
                False,
                f"the patch adds dangerous calls to {path}: {names} "
                "(set allow_dangerous_calls in .github/truth.yml if this is intended)",
            )
    return SanitizeResult(True, "no dangerous calls added, only allowed paths touched")


def _path_problem(name: str, protected: list[str]) -> str | None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith("~") or (len(name) > 1 and name[1] == ":"):
        return f"the patch touches an absolute path outside the repository: {name}"
    if ".." in pure.parts:
        return f"the patch climbs out of the repository: {name}"
    if pure.parts and pure.parts[0] == ".git":
        return f"the patch touches git internals: {name}"
    for pattern in protected:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(name, pattern.rstrip("/") + "/*"):
            return f"the patch touches the protected path {name} (repository config: {pattern!r})"
    return None


def _dangerous_uses(source: str) -> Counter[str]:
    """Counts of dangerous names used; a file that does not parse counts as one finding."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return Counter({"<unparsable file>": 1})
    aliases = _import_aliases(tree)
    found: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for module in _imported_modules(node):
                if module in DANGEROUS_MODULES or module.split(".")[0] in DANGEROUS_MODULES:
                    found[f"import {module}"] += 1
        elif isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            if name is None:
                continue
            if name in DANGEROUS_CALLS or name.split(".")[0] in DANGEROUS_MODULES:
                found[name] += 1
            elif isinstance(node.func, ast.Attribute) and node.func.attr in DANGEROUS_METHODS:
                found[f".{node.func.attr}()"] += 1
    return found


def _import_aliases(tree: ast.Module) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module] if node.module else []


def _dotted(func: ast.expr, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(aliases.get(func.id, func.id))
        return ".".join(reversed(parts))
    if parts:
        return "." + ".".join(reversed(parts))
    return None

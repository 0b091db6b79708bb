"""Library detector: third-party distributions a repository uses, from imports and dependency files.

Keys are distribution names normalized as in PEP 503 (lowercase, runs of `-_.` become one `-`),
so `PyYAML`, `pyyaml` and the import `yaml` all meet at `pyyaml`. Values are the declared version
spec (`==2.31.0`, `>=1.0,<2`, Poetry's `^1.2`) or None when nothing pins it.
"""

from __future__ import annotations

import ast
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from runner.discovery import declared_in_directory
from runner.discovery.imports import declared_match, distribution_for_import

MAX_FILES = 2000
MAX_BYTES = 5_000_000

# fmt: off
SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "__pycache__", "node_modules", "build", "dist", ".eggs",
        ".venv", "venv", "env", ".env", "virtualenv", ".tox", ".nox", "site-packages",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idea", ".vscode",
    }
)
# fmt: on


def detect_libraries(repo_root: Path) -> dict[str, str | None]:
    """Third-party libraries of a repository, normalized name -> declared version spec or None."""
    budget = _Budget(MAX_FILES, MAX_BYTES)
    declared = declared_in_directory(repo_root, budget.read)
    result = dict(declared)
    for module in _imported_modules(repo_root, budget):
        name = declared_match(distribution_for_import(module), declared)
        result.setdefault(name, None)
    return dict(sorted(result.items()))


@dataclass
class _Budget:
    """How much more the detector may read, so a huge repository cannot stall the pipeline."""

    files: int
    bytes: int

    def read(self, path: Path) -> str | None:
        if self.files <= 0 or path.is_symlink() or not path.is_file():
            return None
        size = path.stat().st_size
        if size > self.bytes:
            return None
        self.files -= 1
        self.bytes -= size
        return path.read_text(encoding="utf-8", errors="replace")


# --- imports -------------------------------------------------------------------------------


def _python_files(repo_root: Path) -> Iterator[Path]:
    """The repository's .py files, shallowest first, outside virtualenvs and build output."""
    pending = deque([repo_root])
    while pending:
        directory = pending.popleft()
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                if not _skipped_dir(entry):
                    pending.append(entry)
            elif entry.suffix == ".py":
                yield entry


def _skipped_dir(directory: Path) -> bool:
    return (
        directory.name in SKIPPED_DIRS
        or directory.name.endswith(".egg-info")
        or (directory / "pyvenv.cfg").exists()
    )


def _local_modules(directory: Path) -> set[str]:
    """Module names importable from a directory when it is on sys.path (files and packages)."""
    names: set[str] = set()
    try:
        entries = list(directory.iterdir())
    except OSError:
        return names
    for entry in entries:
        if entry.suffix == ".py" and entry.is_file():
            names.add(entry.stem)
        elif entry.is_dir() and not _skipped_dir(entry) and any(entry.glob("*.py")):
            names.add(entry.name)
    return names


def _imported_modules(repo_root: Path, budget: _Budget) -> set[str]:
    """Absolute imports that are neither the standard library nor the repository's own code."""
    own = {repo_root.name} if (repo_root / "__init__.py").exists() else set()
    local_by_dir: dict[Path, set[str]] = {}

    def local(directory: Path) -> set[str]:
        # Code importable from the file's directory or any directory above it (a script's
        # folder, a nested project's root, its src/ layout) belongs to the repository.
        if directory not in local_by_dir:
            names = _local_modules(directory) | _local_modules(directory / "src")
            if directory != repo_root and directory.parent != directory:
                names |= local(directory.parent)
            local_by_dir[directory] = names | own
        return local_by_dir[directory]

    found: set[str] = set()
    for path in _python_files(repo_root):
        source = budget.read(path)
        if source is None:
            if budget.files <= 0:
                break
            continue
        for module in imports_in_source(source):
            top = module.split(".")[0]
            if top in local(path.parent) or top.startswith("__"):
                continue
            if top in sys.stdlib_module_names:
                continue
            found.add(module)
    return found


def imports_in_source(source: str) -> set[str]:
    """Dotted names of the absolute imports in Python source; empty when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from google import protobuf` names the same distribution as `import google.protobuf`;
            # the lookup falls back to the top-level name when `module.name` is not a module.
            modules.update(
                node.module if alias.name == "*" else f"{node.module}.{alias.name}"
                for alias in node.names
            )
    return modules


def libraries_in_source(source: str, own: frozenset[str] = frozenset()) -> list[str]:
    """The distributions a piece of pasted code imports: not the standard library, not `own`
    (its own module names); [] when it does not parse."""
    found = set()
    for module in imports_in_source(source):
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in own or top.startswith("__"):
            continue
        found.add(distribution_for_import(module))
    return sorted(found)

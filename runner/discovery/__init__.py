"""Dependency discovery: the one reader of a repository's requirement, packaging, tox and CI files.

`discover(names, read)` returns the install plan (what to install, from which file), the Python
signals and the test command CI uses; the prepare step (runner.deps) installs the plan, the
library detector (bot.analysis.libraries) and the environment-error classifier read `declared`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from runner.discovery.plan import SKIPPED_DIRS, Discovery, InstallSource, discover
from runner.discovery.python_version import PythonChoice, choose_python
from runner.snapshot import RepoSnapshot

__all__ = [
    "Discovery",
    "InstallSource",
    "PythonChoice",
    "choose_python",
    "declared_in_directory",
    "discover",
    "discover_snapshot",
]
MAX_DEPTH = 4


def discover_snapshot(snapshot: RepoSnapshot, tox_env: str | None = None) -> Discovery:
    def read(name: str) -> str | None:
        data = snapshot.read(name)
        return None if data is None else data.decode("utf-8", "replace")

    return discover(snapshot.files, read, tox_env)


def _shallow_files(root: Path) -> list[str]:
    found = []
    for current, dirs, files in os.walk(root):
        relative = Path(current).relative_to(root)
        depth = len(relative.parts)
        dirs[:] = [] if depth >= MAX_DEPTH - 1 else [d for d in dirs if d not in SKIPPED_DIRS]
        found += [(relative / name).as_posix() for name in files]
    return found


def declared_in_directory(root: Path, read: Callable[[Path], str | None]) -> dict[str, str | None]:
    """Declared distributions of a checkout (name -> spec or None), every group included."""
    return discover(_shallow_files(root), lambda name: read(root / name)).declared

"""Turn the file paths printed by CI and pytest into paths relative to the repository root."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from runner.wrapper import REPO_DIR

# Checkout directories of common CI systems and containers; the repository starts after them.
CHECKOUT_PREFIXES = [
    re.compile(r"^/home/runner/work/[^/]+/[^/]+/"),  # GitHub Actions (Linux)
    re.compile(r"^/Users/runner/work/[^/]+/[^/]+/"),  # GitHub Actions (macOS)
    re.compile(r"^[A-Za-z]:[\\/]a[\\/][^\\/]+[\\/][^\\/]+[\\/]"),  # GitHub Actions (Windows)
    re.compile(r"^/github/workspace/"),  # container actions
    re.compile(r"^/builds/(?:[^/]+/)+?[^/]+/(?=[^/]+)"),  # GitLab CI
    re.compile(rf"^{re.escape(REPO_DIR)}/"),  # the Truth Engine sandbox's checkout
    re.compile(r"^/workspace/"),
    re.compile(r"^/(?:app|src|code|repo)/"),  # common Dockerfile WORKDIRs
]
OUTSIDE_REPO = re.compile(
    r"(site-packages|dist-packages|/lib/python\d|/lib64/python\d|^<frozen |^<string>|"
    r"/\.pyenv/|/hostedtoolcache/|^/usr/lib/|/\.venv/|/venv/|/\.tox/|/\.nox/)"
)


def normalize_path(
    raw: str, repo_root: Path | None = None, rootdir: str | None = None
) -> tuple[str, bool]:
    """Return (path relative to the repository when possible, whether it lies in the repository)."""
    path = raw.strip().replace("\\", "/")
    if OUTSIDE_REPO.search(path):
        return path, False
    if repo_root is not None and path.startswith("/"):
        root = str(repo_root.resolve()).rstrip("/") + "/"
        if path.startswith(root):
            return path[len(root) :], True
    if rootdir and path.startswith(rootdir.rstrip("/") + "/"):
        return path[len(rootdir.rstrip("/")) + 1 :], True
    for prefix in CHECKOUT_PREFIXES:
        stripped = prefix.sub("", path, count=1)
        if stripped != path:
            return stripped, True
    if path.startswith("/"):
        if repo_root is not None:
            suffix = _existing_suffix(path, repo_root)
            if suffix is not None:
                return suffix, True
        return path, repo_root is None
    return path.removeprefix("./"), True


def _existing_suffix(path: str, repo_root: Path) -> str | None:
    """The longest tail of an unknown absolute path that names a file in the repository."""
    parts = PurePosixPath(path).parts[1:]
    for start in range(len(parts)):
        candidate = "/".join(parts[start:])
        if (repo_root / candidate).is_file():
            return candidate
    return None

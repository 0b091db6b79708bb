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

from bot.analysis.dependency_files import declared_dependencies, normalize_name

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

# Import names whose distribution is called something else (dotted keys win over their prefix).
IMPORT_TO_DISTRIBUTION = {
    "yaml": "PyYAML", "sklearn": "scikit-learn", "skimage": "scikit-image", "PIL": "Pillow",
    "cv2": "opencv-python", "bs4": "beautifulsoup4", "dateutil": "python-dateutil",
    "jwt": "PyJWT", "attr": "attrs", "google.protobuf": "protobuf", "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex", "dotenv": "python-dotenv", "magic": "python-magic",
    "serial": "pyserial", "OpenSSL": "pyOpenSSL", "usb": "pyusb", "zmq": "pyzmq",
    "git": "GitPython", "github": "PyGithub", "docx": "python-docx", "pptx": "python-pptx",
    "jose": "python-jose", "multipart": "python-multipart", "slugify": "python-slugify",
    "telegram": "python-telegram-bot", "socketio": "python-socketio",
    "engineio": "python-engineio", "MySQLdb": "mysqlclient", "_pytest": "pytest",
    "pkg_resources": "setuptools", "markdown_it": "markdown-it-py", "mpl_toolkits": "matplotlib",
    "faiss": "faiss-cpu", "fitz": "PyMuPDF", "win32api": "pywin32", "win32com": "pywin32",
    "pythoncom": "pywin32", "gi": "PyGObject", "wx": "wxPython", "kafka": "kafka-python",
    "ldap": "python-ldap", "nacl": "PyNaCl", "Xlib": "python-xlib", "xdist": "pytest-xdist",
    "dns": "dnspython", "websocket": "websocket-client", "memcache": "python-memcached",
    "snappy": "python-snappy", "grpc": "grpcio", "Bio": "biopython", "OpenGL": "PyOpenGL",
    "googleapiclient": "google-api-python-client", "google.auth": "google-auth",
    "google.oauth2": "google-auth", "google.api_core": "google-api-core",
    "google.genai": "google-genai", "google.generativeai": "google-generativeai",
    "ruamel.yaml": "ruamel.yaml", "editor": "python-editor", "Levenshtein": "levenshtein",
    "lzo": "python-lzo", "pylab": "matplotlib", "sentencepiece": "sentencepiece",
}
# fmt: on

_DISTRIBUTION_AFFIXES = ("python-{}", "py{}", "{}-python", "{}-py", "py-{}")


def distribution_for_import(module: str) -> str:
    """The normalized distribution that provides a dotted module name (longest known prefix)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        known = IMPORT_TO_DISTRIBUTION.get(".".join(parts[:end]))
        if known:
            return normalize_name(known)
    if parts[0] == "google" and len(parts) > 2 and parts[1] == "cloud":
        return normalize_name(f"google-cloud-{parts[2]}")
    return normalize_name(parts[0])


def detect_libraries(repo_root: Path) -> dict[str, str | None]:
    """Third-party libraries of a repository, normalized name -> declared version spec or None."""
    budget = _Budget(MAX_FILES, MAX_BYTES)
    declared = declared_dependencies(repo_root, budget.read)
    result = dict(declared)
    for module in _imported_modules(repo_root, budget):
        name = _declared_match(distribution_for_import(module), declared)
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


def _declared_match(name: str, declared: dict[str, str | None]) -> str:
    """The declared distribution an import most likely belongs to (`docx` -> `python-docx`)."""
    if name in declared:
        return name
    for affix in _DISTRIBUTION_AFFIXES:
        candidate = normalize_name(affix.format(name))
        if candidate in declared:
            return candidate
    return name


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

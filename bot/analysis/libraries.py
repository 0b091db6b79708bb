"""Library detector: third-party distributions a repository uses, from imports and dependency files.

Keys are distribution names normalized as in PEP 503 (lowercase, runs of `-_.` become one `-`),
so `PyYAML`, `pyyaml` and the import `yaml` all meet at `pyyaml`. Values are the declared version
spec (`==2.31.0`, `>=1.0,<2`, Poetry's `^1.2`) or None when nothing pins it.
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
import tomllib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

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

_NORMALIZE = re.compile(r"[-_.]+")
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_DISTRIBUTION_AFFIXES = ("python-{}", "py{}", "{}-python", "{}-py", "py-{}")


def normalize_name(name: str) -> str:
    """PEP 503 normalization: `Foo_Bar.baz` -> `foo-bar-baz`."""
    return _NORMALIZE.sub("-", name).lower()


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
    declared = _declared(repo_root, budget)
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


# --- dependency files ----------------------------------------------------------------------


def _declared(repo_root: Path, budget: _Budget) -> dict[str, str | None]:
    """Declared dependencies; the first source that gives a spec for a name wins."""
    declared: dict[str, str | None] = {}

    def add(pairs: Iterable[tuple[str, str | None]]) -> None:
        for name, spec in pairs:
            if name != "python" and declared.get(name) is None:
                declared[name] = spec

    seen: set[Path] = set()
    requirement_files = sorted(repo_root.glob("requirements*.txt")) + sorted(
        (repo_root / "requirements").glob("*.txt")
    )
    for path in requirement_files:
        add(_requirements_file(path, repo_root.resolve(), budget, seen))
    for filename, parser in (
        ("pyproject.toml", requirements_from_pyproject),
        ("setup.cfg", requirements_from_setup_cfg),
        ("Pipfile", requirements_from_pipfile),
    ):
        text = budget.read(repo_root / filename)
        if text is not None:
            add(parser(text))
    return declared


def _requirements_file(
    path: Path, root: Path, budget: _Budget, seen: set[Path]
) -> list[tuple[str, str | None]]:
    """A requirements file and the files it includes with `-r`, never outside the repository."""
    resolved = path.resolve()
    if resolved in seen or not resolved.is_relative_to(root):
        return []
    seen.add(resolved)
    text = budget.read(path)
    if text is None:
        return []
    pairs = list(requirements_from_text(text))
    for include in requirement_includes(text):
        pairs.extend(_requirements_file(path.parent / include, root, budget, seen))
    return pairs


def _logical_lines(text: str) -> Iterator[str]:
    """Requirement lines without comments, with backslash continuations joined."""
    joined = re.sub(r"\\\r?\n", " ", text)
    for raw in joined.splitlines():
        line = _COMMENT.sub("", raw).strip()
        if line:
            yield line


def requirement_includes(text: str) -> list[str]:
    """Relative paths named by `-r`/`--requirement` lines."""
    includes = []
    for line in _logical_lines(text):
        match = re.match(r"(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)", line)
        if match:
            includes.append(match.group(1))
    return includes


def requirements_from_text(text: str) -> Iterator[tuple[str, str | None]]:
    """(name, spec) pairs of a requirements.txt; options and local paths are skipped."""
    for line in _logical_lines(text):
        egg = _EGG.search(line)
        if egg:
            yield normalize_name(egg.group(1)), None
        elif not line.startswith(("-", ".", "/")):
            # Per-line options such as `--hash=...` are not part of the PEP 508 requirement.
            pair = parse_requirement(re.split(r"\s-{1,2}[A-Za-z]", line, maxsplit=1)[0])
            if pair:
                yield pair


def parse_requirement(text: str) -> tuple[str, str | None] | None:
    """(normalized name, spec or None) of one PEP 508 requirement, None when it is not one."""
    try:
        requirement = Requirement(text.strip())
    except InvalidRequirement:
        return None
    spec = str(requirement.specifier) or None
    return normalize_name(requirement.name), spec


def _pep508_list(items: object) -> Iterator[tuple[str, str | None]]:
    if isinstance(items, list):
        for item in items:
            pair = parse_requirement(item) if isinstance(item, str) else None
            if pair:
                yield pair


def requirements_from_pyproject(text: str) -> list[tuple[str, str | None]]:
    """[project] (optional-)dependencies, PEP 735 groups and Poetry's dependency tables."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    project = _table(data.get("project"))
    pairs = list(_pep508_list(project.get("dependencies")))
    for extra in _table(project.get("optional-dependencies")).values():
        pairs.extend(_pep508_list(extra))
    for group in _table(data.get("dependency-groups")).values():
        pairs.extend(_pep508_list(group))
    poetry = _table(_table(data.get("tool")).get("poetry"))
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [_table(group).get("dependencies") for group in _table(poetry.get("group")).values()]
    for table in tables:
        pairs.extend(_name_to_spec_table(table))
    return pairs


def requirements_from_pipfile(text: str) -> list[tuple[str, str | None]]:
    """Pipfile [packages] and [dev-packages]."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    return [
        *_name_to_spec_table(data.get("packages")),
        *_name_to_spec_table(data.get("dev-packages")),
    ]


def requirements_from_setup_cfg(text: str) -> list[tuple[str, str | None]]:
    """setup.cfg [options] install_requires and [options.extras_require]."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    values = [parser.get("options", "install_requires", fallback="")]
    if parser.has_section("options.extras_require"):
        values.extend(value for _, value in parser.items("options.extras_require"))
    return [pair for value in values for pair in requirements_from_text(value)]


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _name_to_spec_table(table: object) -> Iterator[tuple[str, str | None]]:
    """Poetry/Pipfile style `name = "spec"` or `name = {version = "spec", ...}` tables."""
    for name, value in _table(table).items():
        if isinstance(value, dict):
            value = value.get("version")
        spec = value.strip() if isinstance(value, str) else ""
        yield normalize_name(name), None if spec in ("", "*") else spec

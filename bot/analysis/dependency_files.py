"""Dependency files (requirements, pyproject.toml, setup.cfg, Pipfile) as name -> version spec."""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

FileReader = Callable[[Path], str | None]  # a file's text, None when it may not or cannot be read

_NORMALIZE = re.compile(r"[-_.]+")
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize_name(name: str) -> str:
    """PEP 503 normalization: `Foo_Bar.baz` -> `foo-bar-baz`."""
    return _NORMALIZE.sub("-", name).lower()


def declared_dependencies(repo_root: Path, read: FileReader) -> dict[str, str | None]:
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
        add(_requirements_file(path, repo_root.resolve(), read, seen))
    for filename, parser in (
        ("pyproject.toml", requirements_from_pyproject),
        ("setup.cfg", requirements_from_setup_cfg),
        ("Pipfile", requirements_from_pipfile),
    ):
        text = read(repo_root / filename)
        if text is not None:
            add(parser(text))
    return declared


def _requirements_file(
    path: Path, root: Path, read: FileReader, seen: set[Path]
) -> list[tuple[str, str | None]]:
    """A requirements file and the files it includes with `-r`, never outside the repository."""
    resolved = path.resolve()
    if resolved in seen or not resolved.is_relative_to(root):
        return []
    seen.add(resolved)
    text = read(path)
    if text is None:
        return []
    pairs = list(requirements_from_text(text))
    for include in requirement_includes(text):
        pairs.extend(_requirements_file(path.parent / include, root, read, seen))
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

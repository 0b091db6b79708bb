"""Dependency declarations in packaging files: pyproject.toml, setup.cfg, setup.py, Pipfile."""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass, field

from runner.discovery.requirements import logical_lines, normalize_name
from runner.discovery.setup_py import read_setup_py

TEST_GROUPS = ("test", "tests", "testing", "dev", "develop", "development")


@dataclass
class Manifest:
    """What one packaging file declares. `groups` maps an extra/group name to requirements."""

    path: str
    runtime: list[str] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)
    requires_python: str | None = None
    classifiers: list[str] = field(default_factory=list)
    is_package: bool = False  # pip can install the project itself from this file
    includes: list[str] = field(default_factory=list)  # requirement files it reads
    # Poetry/Pipfile names with their spec as written (`^3.0`), VCS/path ones too (None).
    as_written: dict[str, str | None] = field(default_factory=dict)

    def test_groups(self) -> list[str]:
        return [name for name in self.groups if name.lower() in TEST_GROUPS]


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _poetry_spec(spec: str) -> str:
    """Poetry's `^1.2`/`~1.2` as PEP 440; other specs pass through."""
    spec = spec.strip()
    caret = re.fullmatch(r"\^(\d+)(?:\.(\d+))?(?:\.(\d+))?", spec)
    if caret:
        parts = [int(p) for p in caret.groups() if p is not None]
        bump = next((i for i, p in enumerate(parts) if p), len(parts) - 1)
        upper = parts[: bump + 1]
        upper[-1] += 1
        return f">={'.'.join(map(str, parts))},<{'.'.join(map(str, upper))}"
    tilde = re.fullmatch(r"~(\d+)(?:\.(\d+))?(?:\.(\d+))?", spec)
    if tilde:
        parts = [int(p) for p in tilde.groups() if p is not None]
        upper = parts[:2] if len(parts) > 1 else parts[:1]
        upper[-1] += 1
        return f">={'.'.join(map(str, parts))},<{'.'.join(map(str, upper))}"
    return "" if spec in ("*", "") else spec if spec[0] in "<>=!~" else f"=={spec}"


def name_spec_table(table: object, as_written: dict[str, str | None] | None = None) -> list[str]:
    """Poetry/Pipfile `name = "spec"` or `name = {version = ..., extras = [...]}` as PEP 508;
    `as_written` collects every name with its spec as the file writes it."""
    found = []
    for name, value in _table(table).items():
        if name.lower() == "python":
            continue
        spec, extras = value, []
        raw = value.get("version") if isinstance(value, dict) else value
        if as_written is not None:
            text = raw.strip() if isinstance(raw, str) else ""
            as_written.setdefault(normalize_name(name), None if text in ("", "*") else text)
        if isinstance(value, dict):
            if any(key in value for key in ("path", "git", "url", "file")):
                continue  # local or VCS sources cannot be pinned here
            spec, extras = value.get("version", "*"), _strings(value.get("extras"))
        text = _poetry_spec(spec) if isinstance(spec, str) else ""
        found.append(f"{name}{'[' + ','.join(extras) + ']' if extras else ''}{text}")
    return found


def read_pyproject(path: str, text: str) -> Manifest:
    """[project] (optional-)dependencies, PEP 735 groups, Poetry and PDM dependency tables."""
    found = Manifest(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return found
    project = _table(data.get("project"))
    tool = _table(data.get("tool"))
    poetry = _table(tool.get("poetry"))
    found.runtime = _strings(project.get("dependencies"))
    found.requires_python = project.get("requires-python") or None  # type: ignore[assignment]
    found.classifiers = _strings(project.get("classifiers")) + _strings(poetry.get("classifiers"))
    for name, items in _table(project.get("optional-dependencies")).items():
        found.groups[name] = _strings(items)
    for name, items in _table(data.get("dependency-groups")).items():
        found.groups.setdefault(name, []).extend(_strings(items))
    for name, items in _table(_table(tool.get("pdm")).get("dev-dependencies")).items():
        found.groups.setdefault(name, []).extend(_strings(items))
    if poetry:
        found.runtime += name_spec_table(poetry.get("dependencies"), found.as_written)
        python = _table(poetry.get("dependencies")).get("python")
        if isinstance(python, str) and not found.requires_python:
            found.requires_python = _poetry_spec(python)
        found.groups.setdefault("dev", []).extend(
            name_spec_table(poetry.get("dev-dependencies"), found.as_written)
        )
        for name, group in _table(poetry.get("group")).items():
            found.groups.setdefault(name, []).extend(
                name_spec_table(_table(group).get("dependencies"), found.as_written)
            )
    found.groups = {name: items for name, items in found.groups.items() if items}
    found.is_package = bool(project.get("name") or poetry.get("name")) or (
        "build-system" in data and bool(project or poetry)
    )
    return found


def read_setup_cfg(path: str, text: str) -> Manifest:
    """setup.cfg [options] install_requires/tests_require/python_requires and extras."""
    found = Manifest(path)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return found

    def lines(value: str) -> list[str]:
        return [line for line in logical_lines(value) if not line.startswith("-")]

    found.runtime = lines(parser.get("options", "install_requires", fallback=""))
    tests = lines(parser.get("options", "tests_require", fallback=""))
    if tests:
        found.groups["tests_require"] = tests
    if parser.has_section("options.extras_require"):
        for name, value in parser.items("options.extras_require"):
            found.groups[name] = lines(value)
    found.requires_python = parser.get("options", "python_requires", fallback=None)
    found.classifiers = lines(parser.get("metadata", "classifiers", fallback=""))
    found.is_package = parser.has_option("metadata", "name") or parser.has_section("options")
    return found


def read_setup(path: str, text: str) -> Manifest:
    """setup.py read statically (never executed): literal keyword arguments of setup()."""
    facts = read_setup_py(text)
    found = Manifest(path, is_package=True)
    found.runtime = facts.install_requires
    found.groups = {name: items for name, items in facts.extras_require.items() if items}
    if facts.tests_require:
        found.groups["tests_require"] = facts.tests_require
    found.requires_python = facts.python_requires
    found.classifiers = facts.classifiers
    found.includes = facts.requirement_files
    return found


def read_pipfile(path: str, text: str) -> Manifest:
    """Pipfile [packages] and [dev-packages]; [requires] python_version."""
    found = Manifest(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return found
    found.runtime = name_spec_table(data.get("packages"), found.as_written)
    dev = name_spec_table(data.get("dev-packages"), found.as_written)
    if dev:
        found.groups["dev"] = dev
    python = _table(data.get("requires")).get("python_version")
    if isinstance(python, str):
        found.requires_python = f"=={python}.*"
    return found

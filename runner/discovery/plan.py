"""Everything a repository declares about installing it, gathered from every file that says so."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from runner.discovery.locks import LOCK_FILES, lock_pins
from runner.discovery.manifests import (
    Manifest,
    read_pipfile,
    read_pyproject,
    read_setup,
    read_setup_cfg,
)
from runner.discovery.python_version import PythonSignals, classifier_versions
from runner.discovery.requirements import (
    ReadText,
    RequirementFile,
    constraint_lines,
    parse_requirement,
    read_requirement_files,
    requirement_name,
)
from runner.discovery.tox import ToxEnv, read_tox
from runner.discovery.workflows import WorkflowFacts, read_workflow

SKIPPED_DIRS = frozenset(
    {".git", "node_modules", ".tox", ".nox", ".venv", "venv", "site-packages", "build", "dist"}
)
_REQUIREMENTS = re.compile(
    r"(^|/)([\w.-]*requirements[\w.-]*\.txt|requirements[\w-]*/[\w.-]+\.txt)$"
)
_NOT_FOR_TESTS = re.compile(r"doc|lint|typ|mypy|release|publish|bench|perf|style|format", re.I)
_NESTED_FOR_TESTS = re.compile(r"test|dev|ci|requirements[\w-]*/", re.I)
TOP_FILES = ("tox.ini", ".python-version")
MANIFESTS = {
    "pyproject.toml": read_pyproject,
    "setup.cfg": read_setup_cfg,
    "setup.py": read_setup,
    "Pipfile": read_pipfile,
}


@dataclass
class InstallSource:
    """Requirements to install and where they were declared (shown in progress and proof)."""

    file: str
    what: str
    requirements: list[str]


@dataclass
class Discovery:
    sources: list[InstallSource] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    constraint_files: list[str] = field(default_factory=list)
    project_file: str | None = None  # the file that makes the repository an installable package
    project_extras: list[str] = field(default_factory=list)
    ci: WorkflowFacts | None = None
    tox: ToxEnv | None = None
    python: PythonSignals = field(default_factory=PythonSignals)
    inputs: dict[str, str] = field(default_factory=dict)  # every file read, for the cache key
    declared: dict[str, str | None] = field(default_factory=dict)  # all groups, name -> spec

    @property
    def installs_anything(self) -> bool:
        has_ci = bool(self.ci and self.ci.install_commands)
        return bool(self.sources or self.project_file or has_ci)

    def inputs_digest(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.inputs):
            digest.update(name.encode() + b"\0" + self.inputs[name].encode() + b"\0")
        return digest.hexdigest()

    def summary(self) -> list[str]:
        """One line per source: `setup.py install_requires: 3 (attrs, six, …)`."""
        lines = []
        for source in self.sources:
            names = [requirement_name(r) or r for r in source.requirements]
            shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
            where = f"{source.file} {source.what}".strip()
            lines.append(f"{where}: {len(names)} ({shown})")
        if self.project_file:
            extras = f"[{','.join(self.project_extras)}]" if self.project_extras else ""
            lines.append(f"the project itself (editable) from {self.project_file}{extras}")
        if self.ci:
            for command in self.ci.install_commands:
                lines.append(f"{self.ci.path} job {self.ci.job}: `{command}`")
            for skipped in self.ci.skipped_commands:
                lines.append(f"{self.ci.path}: skipped `{skipped}`")
        if self.constraint_files:
            lines.append(f"pinned by {', '.join(self.constraint_files)}")
        return lines


def dependency_files(names: Iterable[str]) -> list[str]:
    """Repository files discovery reads, shallow ones only and outside virtualenvs/build output."""
    wanted = []
    for name in names:
        parts = name.split("/")
        if len(parts) > 4 or SKIPPED_DIRS & set(parts[:-1]):
            continue
        own = len(parts) == 1 and (name in MANIFESTS or name in LOCK_FILES or name in TOP_FILES)
        workflow = name.startswith(".github/workflows/") and name.endswith((".yml", ".yaml"))
        if own or workflow or _REQUIREMENTS.search(name):
            wanted.append(name)
    return sorted(wanted)


def _for_tests(path: str) -> bool:
    """Requirement files a test run needs: top-level ones and nested test/dev/CI ones."""
    if _NOT_FOR_TESTS.search(path):
        return False
    return "/" not in path or bool(_NESTED_FOR_TESTS.search(path))


class _Builder:
    def __init__(self, read: ReadText) -> None:
        self.found = Discovery()
        self._read = read
        self._seen: set[str] = set()

    def read(self, name: str) -> str | None:
        text = self._read(name)
        if text is not None:
            self.found.inputs[name] = text
        return text

    def requirement_files(self, path: str, what: str) -> None:
        for item in read_requirement_files(path, self.read, self._seen):
            self._add_file(item, what if item.path == path else f"(included by {path})")

    def _add_file(self, item: RequirementFile, what: str) -> None:
        found = self.found
        if item.requirements:
            found.sources.append(InstallSource(item.path, what, item.requirements))
        found.options += [o for o in item.options if o not in found.options]
        for constraint in item.constraints:
            text = self.read(constraint)
            if text is not None:
                found.constraints += constraint_lines(text)
                found.constraint_files.append(constraint)
        if item.installs_project:
            found.project_extras += [
                e for e in item.project_extras if e not in found.project_extras
            ]

    def manifest(self, name: str, manifest: Manifest) -> None:
        found = self.found
        if manifest.runtime:
            what = "install_requires" if name != "pyproject.toml" else "dependencies"
            found.sources.append(InstallSource(name, what, manifest.runtime))
        for group in manifest.test_groups():
            found.sources.append(InstallSource(name, f"[{group}]", manifest.groups[group]))
        extras = [g for g in manifest.test_groups() if g != "tests_require"]
        if manifest.is_package and found.project_file is None and name != "Pipfile":
            found.project_file = name
            found.project_extras += [e for e in extras if e not in found.project_extras]
        if manifest.requires_python and not found.python.requires_python:
            found.python.requires_python = (manifest.requires_python, name)
        versions = classifier_versions(manifest.classifiers)
        if versions and not found.python.classifiers:
            found.python.classifiers = (versions, name)
        for include in manifest.includes:
            if self._read(include) is not None:
                self.requirement_files(include, f"(read by {name})")
        for written, spec in manifest.as_written.items():
            if found.declared.get(written) is None:
                found.declared[written] = spec
        for items in [manifest.runtime, *manifest.groups.values()]:
            _declare(found, items)


def discover(names: Iterable[str], read: ReadText, tox_env: str | None = None) -> Discovery:
    """The repository's install plan from its own files; nothing here executes repository code."""
    files = dependency_files(names)
    builder = _Builder(read)
    found = builder.found
    for name in files:
        if _REQUIREMENTS.search(name) and _for_tests(name):
            builder.requirement_files(name, "")
    for name, reader in MANIFESTS.items():
        text = builder.read(name) if name in files else None
        if text is not None:
            builder.manifest(name, reader(name, text))
    tox_text = builder.read("tox.ini") if "tox.ini" in files else None
    found.tox = read_tox("tox.ini", tox_text, tox_env) if tox_text else None
    if found.tox:
        deps = [d for d in found.tox.deps if not d.startswith(("-r", "--requirement", "-c"))]
        plain = [d for d in deps if not d.startswith(("-e", "."))]
        if plain:
            found.sources.append(InstallSource("tox.ini", "[testenv] deps", plain))
        for dep in found.tox.deps:
            include = re.match(r"(?:-r|--requirement)\s*=?\s*(\S+)", dep)
            if include:
                builder.requirement_files(posixpath.normpath(include.group(1)), "(tox deps)")
        found.project_extras += [e for e in found.tox.extras if e not in found.project_extras]
        if found.tox.python_versions():
            found.python.tox_envlist = (found.tox.python_versions(), "tox.ini")
    for name in files:
        if name.startswith(".github/workflows/") and found.ci is None:
            text = read(name)
            facts = read_workflow(name, text) if text else None
            if facts:
                found.ci = facts
                found.inputs[f"{name}#install"] = "\n".join(facts.install_commands)
                if facts.python_versions:
                    found.python.ci_matrix = (facts.python_versions, name)
    pinned = builder.read(".python-version") if ".python-version" in files else None
    if pinned and pinned.strip():
        found.python.pinned = (pinned.strip().splitlines()[0], ".python-version")
    for lock in LOCK_FILES:
        text = builder.read(lock) if lock in files else None
        if text:
            found.constraints += lock_pins(lock, text)
            found.constraint_files.append(lock)
    for source in found.sources:
        _declare(found, source.requirements)
    return found


def _declare(found: Discovery, requirements: list[str]) -> None:
    """Record names with their spec; the first source that gives a spec for a name wins."""
    for requirement in requirements:
        pair = parse_requirement(requirement)
        name = pair[0] if pair else requirement_name(requirement)
        if name and name != "python" and found.declared.get(name) is None:
            found.declared[name] = pair[1] if pair else None

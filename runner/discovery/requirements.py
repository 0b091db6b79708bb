"""Requirement files: PEP 508 lines, `-r`/`-c` includes resolved, `-e .` (the project itself)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement

ReadText = Callable[[str], str | None]  # a repository-relative file's text, None when absent

_NORMALIZE = re.compile(r"[-_.]+")
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_INCLUDE = re.compile(r"(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_EDITABLE = re.compile(r"(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)")
_SELF = re.compile(r"^(?:file:)?\.(?:/)?(\[[^\]]*\])?$")
# Index options are kept so a private or extra index keeps working; other options are dropped.
_KEPT_OPTIONS = ("--index-url", "-i ", "--extra-index-url", "--pre")


def normalize_name(name: str) -> str:
    """PEP 503 normalization: `Foo_Bar.baz` -> `foo-bar-baz`."""
    return _NORMALIZE.sub("-", name).lower()


def logical_lines(text: str) -> Iterator[str]:
    """Requirement lines without comments, with backslash continuations joined."""
    joined = re.sub(r"\\\r?\n", " ", text)
    for raw in joined.splitlines():
        line = _COMMENT.sub("", raw).strip()
        if line:
            yield line


def parse_requirement(text: str) -> tuple[str, str | None] | None:
    """(normalized name, spec or None) of one PEP 508 requirement, None when it is not one."""
    try:
        requirement = Requirement(text.strip())
    except InvalidRequirement:
        return None
    return normalize_name(requirement.name), str(requirement.specifier) or None


def requirement_name(line: str) -> str | None:
    """The normalized distribution name a pip requirement line installs, when it names one."""
    egg = _EGG.search(line)
    if egg:
        return normalize_name(egg.group(1))
    pair = parse_requirement(re.split(r"\s-{1,2}[A-Za-z]", line, maxsplit=1)[0])
    return pair[0] if pair else None


def self_extras(target: str) -> list[str] | None:
    """Extras of a requirement that names the project itself (`.`, `.[test]`), else None."""
    match = _SELF.match(target.strip())
    if not match:
        return None
    inner = (match.group(1) or "[]")[1:-1]
    return [part.strip() for part in inner.split(",") if part.strip()]


@dataclass
class RequirementFile:
    """One requirement file, its pip-installable lines, and what it pulls in."""

    path: str
    requirements: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)  # constraint files (repo paths)
    installs_project: bool = False
    project_extras: list[str] = field(default_factory=list)


def _relative(base_dir: str, target: str) -> str | None:
    """A path relative to the repository root, None when it leaves the repository."""
    joined = posixpath.normpath(posixpath.join(base_dir, target))
    return None if joined.startswith("..") or joined.startswith("/") else joined


def _local(line: str) -> bool:
    return line.startswith((".", "/", "file:")) or line.startswith("~")


def read_requirement_files(path: str, read: ReadText, seen: set[str]) -> list[RequirementFile]:
    """The file at `path` and every file it includes with `-r` (never outside the repository)."""
    if path in seen:
        return []
    seen.add(path)
    text = read(path)
    if text is None:
        return []
    here = posixpath.dirname(path)
    found = RequirementFile(path)
    included: list[RequirementFile] = []
    for line in logical_lines(text):
        include = _INCLUDE.match(line)
        editable = _EDITABLE.match(line)
        if include:
            target = _relative(here, include.group(2))
            if target is None:
                continue
            if include.group(1) in ("-c", "--constraint"):
                found.constraints.append(target)
            else:
                included += read_requirement_files(target, read, seen)
        elif editable or _local(line):
            target = editable.group(1) if editable else line
            base, _, extras = target.partition("[")
            # pip resolves local paths from the working directory (the root), not the file.
            relative = _relative("", base.removeprefix("file:"))
            if relative == ".":
                found.installs_project = True
                found.project_extras += self_extras("." + ("[" + extras if extras else "")) or []
            elif "://" in target or target.startswith("git+"):
                found.requirements.append(target)
            elif relative is not None:
                found.requirements.append(f"-e ./{relative}" + ("[" + extras if extras else ""))
        elif line.startswith(_KEPT_OPTIONS):
            found.options.append(line)
        elif not line.startswith("-"):
            found.requirements.append(re.split(r"\s--?[A-Za-z]", line, maxsplit=1)[0].strip())
    return [found, *included]


def requirement_pairs(text: str) -> Iterator[tuple[str, str | None]]:
    """(name, spec) pairs of a requirements text; options and local paths are skipped."""
    for line in logical_lines(text):
        egg = _EGG.search(line)
        if egg:
            yield normalize_name(egg.group(1)), None
        elif not line.startswith(("-", ".", "/")):
            pair = parse_requirement(re.split(r"\s-{1,2}[A-Za-z]", line, maxsplit=1)[0])
            if pair:
                yield pair


def constraint_lines(text: str) -> list[str]:
    """Pinned lines of a constraints file (names with a version spec only)."""
    return [line for line in logical_lines(text) if not line.startswith("-") and not _local(line)]

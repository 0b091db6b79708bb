"""Which Python the sandbox runs: from the repository's own declarations, or `python:` config."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet

AVAILABLE = ("3.9", "3.11", "3.13")
DEFAULT = "3.11"


@dataclass(frozen=True)
class PythonChoice:
    version: str
    why: str


@dataclass
class PythonSignals:
    """Each signal with the file it came from."""

    requires_python: tuple[str, str] | None = None  # (specifier, file)
    pinned: tuple[str, str] | None = None  # .python-version
    tox_envlist: tuple[list[str], str] | None = None
    ci_matrix: tuple[list[str], str] | None = None
    classifiers: tuple[list[str], str] | None = None


def _minor(version: str) -> int:
    return int(version.split(".")[1])


def nearest_available(version: str) -> str:
    """The oldest offered version at or above `version`, else the newest offered."""
    newer = [v for v in AVAILABLE if _minor(v) >= _minor(version)]
    return newer[0] if newer else AVAILABLE[-1]


def classifier_versions(classifiers: list[str]) -> list[str]:
    found = {
        m.group(1)
        for c in classifiers
        if (m := re.match(r"Programming Language :: Python :: (3\.\d+)\s*$", c))
    }
    return sorted(found, key=_minor)


def _allowed_by(specifier: str) -> list[str]:
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return list(AVAILABLE)
    return [v for v in AVAILABLE if spec.contains(f"{v}.0", prereleases=True)]


def _pick(candidates: list[str]) -> str:
    return DEFAULT if DEFAULT in candidates else candidates[-1]


def choose_python(signals: PythonSignals, configured: str | None = None) -> PythonChoice:
    """`configured` wins; then .python-version; then requires-python narrowed by the tox envlist,
    the CI matrix and the classifiers (each only when it leaves a version to run)."""
    offered = ", ".join(AVAILABLE)
    if configured:
        version = str(configured).strip()
        if re.fullmatch(r"3\.\d+", version) and version in AVAILABLE:
            return PythonChoice(version, f"`python: {version}` in .github/truth.yml")
        raise ValueError(
            f"`python: {version}` in .github/truth.yml is not offered; use one of {offered}."
        )
    if signals.pinned:
        raw, source = signals.pinned
        match = re.match(r"\s*(?:python-?)?(3\.\d+)", raw)
        if match:
            version = nearest_available(match.group(1))
            return PythonChoice(version, f"{source} asks for {match.group(1)}")
    candidates = list(AVAILABLE)
    reasons = []
    if signals.requires_python:
        spec, source = signals.requires_python
        allowed = _allowed_by(spec)
        if allowed:
            candidates = allowed
            reasons.append(f"requires-python `{spec}` in {source}")
    lists = (
        ("the tox envlist", signals.tox_envlist),
        ("the CI matrix", signals.ci_matrix),
        ("the classifiers", signals.classifiers),
    )
    for label, signal in lists:
        if not signal or not signal[0]:
            continue
        versions, source = signal
        narrowed = [v for v in candidates if v in {nearest_available(x) for x in versions}]
        if narrowed:
            candidates = narrowed
            reasons.append(f"{label} in {source} ({', '.join(versions)})")
    version = _pick(candidates)
    if not reasons:
        return PythonChoice(version, f"nothing in the repository names a Python; default {version}")
    return PythonChoice(version, f"{'; '.join(reasons)} → {version} of {offered}")

"""What a candidate may not change: the tests, their configuration, CI, and anything that could
stand in for the test framework. The patched run always uses the baseline's versions of these.

Each rule has a short id that appears in the verdict's reason, with the file and line.
"""

from __future__ import annotations

import configparser
import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import PurePosixPath

TEST_DIRS = frozenset({"tests", "test", "testing"})
TEST_CONFIG_FILES = frozenset({"pytest.ini", "tox.ini", ".coveragerc", "noxfile.py"})
CI_PATTERNS = (
    ".github/workflows/*",
    ".github/actions/*",
    ".github/truth.yml",
    ".github/truth.yaml",
    ".gitlab-ci.yml",
    ".circleci/*",
    ".travis.yml",
    "azure-pipelines.yml",
    "Jenkinsfile",
    ".buildkite/*",
    "bitbucket-pipelines.yml",
    "appveyor.yml",
)
# Modules Python or pytest would import from the repository instead of the real thing.
SHADOW_NAMES = frozenset(
    {"pytest.py", "py.py", "pluggy.py", "unittest.py", "sitecustomize.py", "usercustomize.py"}
)
SHADOW_DIRS = frozenset({"_pytest", "pytest", "pluggy", "unittest", "py"})
SETUP_CFG_SECTIONS = ("tool:pytest", "pytest", "coverage:run", "coverage:report")


@dataclass(frozen=True)
class Finding:
    """One broken rule at one place, as the verdict shows it."""

    rule: str
    path: str
    line: int
    detail: str

    def __str__(self) -> str:
        return f"{self.rule} at {self.path}:{self.line}: {self.detail}"


def measured_kind(path: str) -> str | None:
    """The rule a change to `path` breaks whatever its content, or None."""
    pure = PurePosixPath(path)
    name, parents = pure.name, set(pure.parts[:-1])
    if name == "conftest.py":
        return "test-config"
    if name in SHADOW_NAMES or name.endswith(".pth") or parents & SHADOW_DIRS:
        return "shadows-test-framework"
    if name.startswith("truth_evidence"):
        return "shadows-test-framework"
    if parents & TEST_DIRS or name.startswith("test_") or name.endswith("_test.py"):
        return "test-file"
    if name in TEST_CONFIG_FILES:
        return "test-config"
    if any(fnmatch.fnmatch(path, pattern) for pattern in CI_PATTERNS):
        return "ci-file"
    return None


def _pyproject_tests(text: str) -> object:
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return "<unparsable>"
    return {k: tool.get(k) for k in ("pytest", "coverage", "tox", "hatch")}


def _setup_cfg_tests(text: str) -> object:
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return "<unparsable>"
    return {s: dict(parser.items(s)) for s in SETUP_CFG_SECTIONS if parser.has_section(s)}


def _first_changed_line(before: str, after: str) -> int:
    for number, (old, new) in enumerate(
        zip(before.splitlines(), after.splitlines(), strict=False), 1
    ):
        if old != new:
            return number
    return min(len(before.splitlines()), len(after.splitlines())) + 1


def measurement_findings(changes: dict[str, tuple[str | None, str | None]]) -> list[Finding]:
    """Findings for changed files, `{path: (before or None, after or None)}` (None: absent)."""
    findings: list[Finding] = []
    for path, (before, after) in sorted(changes.items()):
        line = _first_changed_line(before or "", after or "")
        kind = measured_kind(path)
        if kind is not None:
            verb = "adds" if before is None else "deletes" if after is None else "changes"
            findings.append(Finding(kind, path, line, f"the candidate {verb} {path}"))
            continue
        name = PurePosixPath(path).name
        section = {"pyproject.toml": _pyproject_tests, "setup.cfg": _setup_cfg_tests}.get(name)
        if section is not None and section(before or "") != section(after or ""):
            findings.append(
                Finding("test-config", path, line, f"the candidate changes test settings in {path}")
            )
    return findings


def frozen_paths(files: tuple[str, ...]) -> list[str]:
    """The snapshot's files the patched run takes from the baseline, whatever the patch does."""
    return [f for f in files if measured_kind(f) is not None]

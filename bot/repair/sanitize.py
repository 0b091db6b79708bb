"""Pre-flight sanitization: reject patches that touch forbidden paths or break the runner's static
policy (runner/policy.py, the one list of rules; the runner applies it again before any run)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.analysis.failures import is_test_path
from bot.repair.diffs import DiffError, apply_diff_in_memory, parse_diff
from runner.measurement import measured_kind
from runner.policy import policy_findings


@dataclass(frozen=True)
class SanitizeResult:
    ok: bool
    reason: str


def check_patch(
    repo_root: Path,
    diff: str,
    allow_dangerous: bool = False,
    protected_paths: Iterable[str] = (),
) -> SanitizeResult:
    """Accept the diff, or reject it with a reason a person can act on."""
    try:
        patches = parse_diff(diff)
    except DiffError as exc:
        return SanitizeResult(False, f"the patch is not a valid unified diff: {exc}")
    protected = list(protected_paths)
    originals: dict[str, str] = {}
    for patch in patches:
        for name in (patch.old_path, patch.new_path):
            if name is None:
                continue
            problem = _path_problem(name, protected)
            if problem:
                return SanitizeResult(False, problem)
        if patch.is_deletion and is_test_path(patch.path):
            return SanitizeResult(False, f"the patch deletes the test file {patch.path}")
        if patch.old_path is not None:
            source = repo_root / patch.old_path
            if not source.is_file():
                return SanitizeResult(
                    False, f"the patch edits {patch.old_path}, which is not in the repository"
                )
            originals[patch.old_path] = source.read_text(encoding="utf-8", errors="replace")
    try:
        patched = apply_diff_in_memory(originals, diff)
    except DiffError as exc:
        return SanitizeResult(False, f"the patch does not apply: {exc}")
    # Test files are judged by the runner's measurement rule, not by the code policy.
    changes = {
        path: (originals.get(path), after)
        for path, after in patched.items()
        if measured_kind(path) is None
    }
    findings = policy_findings(changes, allow_dangerous)
    if findings:
        hint = (
            " (set allow_dangerous_calls in .github/truth.yml if this is intended)"
            if findings[0].rule == "dangerous"
            else ""
        )
        return SanitizeResult(False, f"the patch breaks the policy: {findings[0]}{hint}")
    return SanitizeResult(True, "no forbidden calls added, only allowed paths touched")


def _path_problem(name: str, protected: list[str]) -> str | None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith("~") or (len(name) > 1 and name[1] == ":"):
        return f"the patch touches an absolute path outside the repository: {name}"
    if ".." in pure.parts:
        return f"the patch climbs out of the repository: {name}"
    if pure.parts and pure.parts[0] == ".git":
        return f"the patch touches git internals: {name}"
    for pattern in protected:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(name, pattern.rstrip("/") + "/*"):
            return f"the patch touches the protected path {name} (repository config: {pattern!r})"
    return None

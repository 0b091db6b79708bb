"""The check before any run: apply the candidate to a scratch copy of the files it touches and
refuse it when it changes the measurement or adds what the static policy forbids."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from runner.measurement import Finding, frozen_paths, measured_kind, measurement_findings
from runner.policy import policy_findings
from runner.snapshot import RepoSnapshot

HEADER = re.compile(r"^(?:--- |\+\+\+ |rename from |rename to |copy from |copy to )(.+)$")
GIT_HEADER = re.compile(r"^diff --git a/(.+) b/(.+)$")
STRATEGIES = (
    ["git", "apply", "--whitespace=nowarn"],
    ["git", "apply", "--recount", "--whitespace=nowarn", "-C1"],
    ["patch", "-p1", "--fuzz=2", "--batch", "--forward", "--no-backup-if-mismatch", "-r", "-"],
)


@dataclass
class Screening:
    """The gate's answer: findings (empty: may run), or why the patch could not be read."""

    findings: list[Finding] = field(default_factory=list)
    apply_error: str = ""
    frozen: dict[str, bytes | None] = field(default_factory=dict)  # None: remove it

    @property
    def reason(self) -> str:
        if self.apply_error:
            return self.apply_error
        if not self.findings:
            return ""
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        return f"rejected before any run: {self.findings[0]}{more}"


def touched_paths(diff: str) -> set[str]:
    """Every path a unified or git diff names, without its a/ or b/ prefix."""
    paths: set[str] = set()
    for line in diff.splitlines():
        found = GIT_HEADER.match(line)
        if found:
            paths.update(found.groups())
            continue
        found = HEADER.match(line)
        if found:
            name = found.group(1).split("\t")[0].strip()
            if name != "/dev/null":
                is_prefixed = line.startswith(("---", "+++")) and name[:2] in ("a/", "b/")
                paths.add(name[2:] if is_prefixed else name)
    return {p for p in paths if p and not p.startswith("/") and ".." not in Path(p).parts}


def _apply(root: Path, diff: str) -> bool:
    for command in STRATEGIES:
        done = subprocess.run(
            command, cwd=root, input=diff.encode(), capture_output=True, check=False, timeout=60
        )
        if done.returncode == 0:
            return True
    return False


def _read(root: Path, name: str) -> str | None:
    try:
        info = os.lstat(root / name)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return f"symlink -> {os.readlink(root / name)}"  # never read through a link
    if not stat.S_ISREG(info.st_mode):
        return None
    return (root / name).read_bytes().decode("utf-8", "replace")


Changes = dict[str, tuple[str | None, str | None]]


def _changes(snapshot: RepoSnapshot, patch: str, base_patch: str) -> tuple[Changes, Changes] | None:
    """What `patch` changes on top of `base_patch`, and what `base_patch` changes; None when
    either does not apply."""
    names = sorted(touched_paths(patch) | touched_paths(base_patch))
    originals = snapshot.read_many(names)
    with tempfile.TemporaryDirectory(prefix="truth-gate-") as tmp:
        root = Path(tmp)
        for name, data in originals.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        if base_patch and not _apply(root, base_patch):
            return None
        before = {name: _read(root, name) for name in names}
        if not _apply(root, patch):
            return None
        after = {name: _read(root, name) for name in names}
    base: Changes = {n: (None, before[n]) for n in touched_paths(base_patch) if n in before}
    return {n: (before[n], after[n]) for n in names if before[n] != after[n]}, base


def screen(
    snapshot: RepoSnapshot,
    patch: str,
    *,
    allow_test_changes: bool = False,
    allow_dangerous: bool = False,
    base_patch: str = "",
) -> Screening:
    """Whether `patch` (on top of `base_patch`, part of the baseline) may be run at all, and
    the baseline's measurement files the patched run must put back."""
    found = _changes(snapshot, patch, base_patch)
    if found is None:
        return Screening(apply_error="patch does not apply to the repository's files")
    changes, base = found
    findings = [] if allow_test_changes else measurement_findings(changes)
    measured = {f.path for f in measurement_findings(changes)}
    policed = {p: c for p, c in changes.items() if not (allow_test_changes and p in measured)}
    findings += policy_findings(policed, allow_dangerous)
    frozen: dict[str, bytes | None] = {}
    if not allow_test_changes:
        frozen.update(snapshot.read_many(frozen_paths(snapshot.files)))
        for name, (before, _) in changes.items():
            if before is None and name not in frozen and name in measured:
                frozen[name] = None
        for name, (_, after) in base.items():
            if after is not None and measured_kind(name) is not None:
                frozen[name] = after.encode()
    return Screening(findings=findings, frozen=frozen)

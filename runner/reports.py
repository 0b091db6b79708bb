"""A supervised run's signed report turned into a RunResult: how it ended and what it showed."""

from __future__ import annotations

from typing import Any

from runner.evidence import read_evidence
from runner.limits import SandboxLimits
from runner.redact import redact
from runner.results import RunEnd, RunResult


def _prepared(result: RunResult, prepare: dict[str, Any], patched: bool) -> bool:
    """Record the tree preparation; False when the run stops there (patch or unpack failed)."""
    status, _, strategy = str(prepare.get("status", "error -")).partition(" ")
    if patched:
        result.patch_applied = status == "applied"
        result.patch_strategy = "" if strategy in ("", "-") else strategy
    if status == "failed":
        log = str(prepare.get("log", ""))
        first = next((ln for ln in log.splitlines() if ln.strip()), "no details")
        result.end = RunEnd.PATCH_FAILED
        result.reason = f"patch does not apply: {redact(first.strip())[:300]}"
        return False
    if status not in ("applied", "none"):
        result.end = RunEnd.ERROR
        result.reason = f"the sandbox could not prepare the tree: {status} {strategy}".strip()
        return False
    return True


def judge_report(
    result: RunResult,
    report: dict[str, Any] | None,
    problem: str,
    oom: bool,
    patched: bool,
    limits: SandboxLimits,
) -> RunResult:
    """Fill `result` from the supervisor's `report` (None when missing or forged: `problem`)."""
    if oom:
        result.end = RunEnd.RESOURCE_LIMIT
        result.reason = f"out of memory: the run exceeded the {limits.memory_mb} MB limit"
    if report is None:
        if not oom:
            result.end = RunEnd.ERROR
            result.reason = f"{problem} (container exit {result.exit_code}); see stderr"
        return result
    if not _prepared(result, report.get("prepare") or {}, patched):
        return result
    result.prepare_ms = float(report.get("prepare_ms", 0.0))
    result.supervised_ms = float(report.get("total_ms", 0.0))
    result.stdout = redact(str(report.get("stdout", "")))
    result.stderr = redact(str(report.get("stderr", "")))
    result.stdout_truncated = bool(report.get("stdout_truncated"))
    result.stderr_truncated = bool(report.get("stderr_truncated"))
    code = report.get("exit_code")
    result.exit_code = int(code) if isinstance(code, int) else None
    completed = report.get("end") == "exited"
    if not oom:
        result.end = RunEnd.EXITED if completed else RunEnd.TIMEOUT
    if not completed:
        result.hung_test = str(report.get("hung_test", ""))
        where = f" in {result.hung_test}" if result.hung_test else ""
        result.reason = (
            f"stopped{where}: a test ran past the per-test limit or the run reached the "
            f"{limits.wall_seconds:g} s wall-time limit"
        )
    records = report.get("records")
    evidence = read_evidence(
        records if isinstance(records, list) else [],
        result.exit_code,
        result.stdout,
        completed and not oom,
    )
    result.sessions = evidence.sessions
    result.collected = evidence.collected
    result.collect_errors = evidence.collect_errors
    result.tests = evidence.tests
    result.evidence_problem = evidence.problem
    return result

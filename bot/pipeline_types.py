"""Inputs, progress events and outcome of one fix session, for the CLI and the worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from runner.results import RunResult, Verification


class FixStatus(StrEnum):
    VERIFIED = "verified"
    NO_FIX = "no_fix"
    NOTHING_TO_FIX = "nothing_to_fix"


@dataclass
class FixRequest:
    """One fix session's input. `failure_log` is CI's log text; None means run the tests to see."""

    repo_root: Path
    test_command: str | None = None
    candidates: int = 3
    failure_log: str | None = None
    test_selector: str | None = None
    install_command: str | None = None
    protected_paths: list[str] = field(default_factory=list)
    allow_dangerous_calls: bool = False
    repository: str | None = None  # "owner/name" when it came from GitHub
    head_sha: str | None = None
    pull_number: int | None = None
    installation_id: int | None = None


@dataclass(frozen=True)
class ProgressEvent:
    """A line for the live console: the terminal, the check run, the dashboard."""

    stage: str  # analyzing | reproducing | generating | candidate | deciding | done
    message: str
    candidate_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


ProgressSink = Callable[[ProgressEvent], None]


@dataclass
class CandidateResult:
    id: str
    engine: str
    description: str
    diff: str
    status: str  # a runner Verdict value, or "rejected" by sanitization
    reason: str
    duration_ms: float
    changed_lines: int
    votes: int = 1
    verification: Verification | None = None


@dataclass
class FixOutcome:
    status: FixStatus
    session_id: str
    message: str
    baseline: RunResult | None
    candidates: list[CandidateResult]
    winner: CandidateResult | None
    proof_json_path: Path | None = None
    proof_text_path: Path | None = None
    patch_path: Path | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)
    libraries: dict[str, str | None] = field(default_factory=dict)

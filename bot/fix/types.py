"""What a fix session is asked to do, where the request came from, and what it ended with."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.constants import DEFAULT_CANDIDATES
from runner.results import RunResult, Verification


class FixStatus(StrEnum):
    VERIFIED = "verified"
    NO_FIX = "no_fix"
    NOTHING_TO_FIX = "nothing_to_fix"
    # The tests cannot run as the repository declares them; the message says why and what to do.
    ENVIRONMENT_ERROR = "environment_error"
    # The failure did not show the same way twice: nothing is fixed on evidence that moves.
    FLAKY = "flaky"


@dataclass(frozen=True)
class Origin:
    """Where a GitHub session came from; a local `truth fix` has none."""

    repository: str  # owner/name
    head_sha: str
    pull_number: int
    installation_id: int


@dataclass
class FixRequest:
    """What to fix and how. `failure_log` is CI's log text; None means run the tests to see."""

    repo_root: Path
    test_command: str | None = None
    candidates: int = DEFAULT_CANDIDATES
    failure_log: str | None = None
    test_selector: str | None = None
    install_command: str | None = None
    protected_paths: list[str] = field(default_factory=list)
    allow_dangerous_calls: bool = False
    origin: Origin | None = None
    python: str | None = None  # `python:` in .github/truth.yml; None: from the repository
    timeout: float | None = None  # the baseline's limit; None: TRUTH_SANDBOX_TIMEOUT_SECONDS
    targets: list[str] = field(default_factory=list)  # tests a fix must make pass
    env: dict[str, str] = field(default_factory=dict)  # test environment variables
    # The id the session's record already has (the paste page makes it before it starts the
    # session, to show its permalink at once); None: a new id.
    session_id: str | None = None

    @property
    def repository(self) -> str | None:
        return self.origin.repository if self.origin else None


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
    # Results of calls the passing tests make that differ after the patch (None: not profiled).
    behaviour_changes: int | None = None


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

"""One fix session's state: its dependencies, recorder, engines, proofs and outcome."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from bot.analysis.failures import Failure
from bot.engines import build_engines
from bot.pipeline_types import (
    CandidateResult,
    FixOutcome,
    FixRequest,
    FixStatus,
    ProgressEvent,
    ProgressSink,
)
from bot.repair.base import RepairEngine
from bot.search import ScreenedCandidate
from bot.sessions import SessionRecorder
from bot.settings import Settings
from bot.usage import Usage
from runner.proof import write_proof
from runner.results import RunResult, Verification
from runner.sandbox import Sandbox


@dataclass
class PipelineDeps:
    """Everything the pipeline talks to, built once per process and passed in."""

    settings: Settings
    sandbox: Sandbox
    db: Engine
    # None: the configured engines, built per session so model usage is counted per session.
    engines: Sequence[RepairEngine] | None = None


def candidate_result(
    candidate: ScreenedCandidate, verification: Verification | None
) -> CandidateResult:
    patch = candidate.patch
    if verification is None:
        return CandidateResult(
            id=candidate.id,
            engine="+".join(candidate.engines),
            description=patch.description,
            diff=patch.diff,
            status="rejected",
            reason=candidate.rejected_reason,
            duration_ms=0.0,
            changed_lines=candidate.changed_lines,
            votes=candidate.votes,
        )
    duration = verification.patched.duration_ms if verification.patched else 0.0
    return CandidateResult(
        id=candidate.id,
        engine="+".join(candidate.engines),
        description=patch.description,
        diff=patch.diff,
        status=verification.verdict.value,
        reason=verification.reason,
        duration_ms=duration,
        changed_lines=candidate.changed_lines,
        votes=candidate.votes,
        verification=verification,
    )


def describe(result: CandidateResult) -> str:
    n = result.id.removeprefix("c")
    if result.status == "verified":
        return f"Candidate {n}: PASSED ({result.duration_ms:.0f} ms) [{result.engine}]"
    reason = result.reason if len(result.reason) <= 90 else result.reason[:87] + "…"
    return f"Candidate {n}: {result.status.upper()} ({reason}) [{result.engine}]"


class SessionRun:
    """One session's mutable state; keeps run_fix itself a readable sequence of steps."""

    def __init__(self, request: FixRequest, deps: PipelineDeps, progress: ProgressSink) -> None:
        self.request = request
        self.deps = deps
        self.session_id = uuid.uuid4().hex[:16]
        self.recorder = SessionRecorder(deps.db, self.session_id)
        self._progress = progress
        self.proof_dir = deps.settings.state_dir / "proofs" / self.session_id
        self.usage = Usage()
        self.engines = (
            deps.engines
            if deps.engines is not None
            else build_engines(deps.settings, deps.db, self.usage, request.repository)
        )

    def prove(self, candidate_id: str, verification: Verification, diff: str) -> tuple[Path, Path]:
        json_path, text_path = write_proof(verification, self.proof_dir, candidate_id, patch=diff)
        self.recorder.proof(candidate_id, json.loads(json_path.read_text()), str(text_path))
        return json_path, text_path

    def say(self, stage: str, message: str, **data: Any) -> None:
        event = ProgressEvent(stage=stage, message=message, data=data)
        self.recorder.console(event)
        self._progress(event)

    def outcome(
        self,
        status: FixStatus,
        message: str,
        baseline: RunResult | None,
        results: list[CandidateResult],
        failures: list[Failure],
        libraries: dict[str, str | None],
        winner: CandidateResult | None = None,
    ) -> FixOutcome:
        outcome = FixOutcome(
            status=status,
            session_id=self.session_id,
            message=message,
            baseline=baseline,
            candidates=results,
            winner=winner,
            failures=[asdict(f) for f in failures],
            libraries=libraries,
        )
        if winner is not None:
            outcome.proof_json_path = self.proof_dir / f"{winner.id}.json"
            outcome.proof_text_path = self.proof_dir / f"{winner.id}.txt"
            outcome.patch_path = self.proof_dir / f"{winner.id}.patch"
        self.recorder.finish(outcome, self.usage)
        self.say("done", message, status=status.value)
        return outcome

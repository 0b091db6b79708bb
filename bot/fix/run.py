"""One fix session's state while it runs: its id, engines, usage, proofs and event stream."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.engine import Engine

from bot.analysis.failures import Failure
from bot.fix.engines import build_engines
from bot.fix.events import CandidateJudged, Decided, FixEvent, Listener
from bot.fix.types import CandidateResult, FixOutcome, FixRequest, FixStatus
from bot.fix.wording import describe
from bot.repair.base import RepairEngine
from bot.repair.usage import Usage
from bot.settings import Settings
from runner.proof import write_proof
from runner.results import RunResult, Verification
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot


@dataclass
class PipelineDeps:
    """Everything the pipeline talks to, built once per process and passed in."""

    settings: Settings
    sandbox: Sandbox
    db: Engine
    # None: the configured engines, built per session so model usage is counted per session.
    engines: Sequence[RepairEngine] | None = None


class FixRun:
    """One session's mutable state; keeps run_fix itself a readable sequence of steps."""

    def __init__(self, request: FixRequest, deps: PipelineDeps, emit: Listener) -> None:
        self.request = request
        self.deps = deps
        self.session_id = request.session_id or uuid.uuid4().hex[:16]
        self.emit = emit
        self.proof_dir = deps.settings.state_dir / "proofs" / self.session_id
        self.usage = Usage()
        self.snapshot: RepoSnapshot | None = None  # set once taken: proofs carry it
        self.engines = (
            deps.engines
            if deps.engines is not None
            else build_engines(deps.settings, deps.db, self.usage, request.repository)
        )

    def say(self, stage: str, message: str, **data: Any) -> None:
        self.emit(FixEvent(self.session_id, stage, message, data))

    def judged(self, result: CandidateResult, verification: Verification | None, diff: str) -> None:
        """Write the proof of a candidate that ran, then tell the listeners its verdict."""
        proof: dict[str, Any] | None = None
        text_path: str | None = None
        if verification is not None:
            json_path, text = write_proof(
                verification, self.proof_dir, result.id, patch=diff, snapshot=self.snapshot
            )
            proof, text_path = json.loads(json_path.read_text()), str(text)
        self.emit(
            CandidateJudged(
                self.session_id,
                "candidate",
                describe(result),
                {"candidate_id": result.id, "status": result.status},
                result=result,
                proof=proof,
                proof_text_path=text_path,
            )
        )

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
        self.emit(
            Decided(
                self.session_id,
                "done",
                message,
                {"status": status.value},
                outcome=outcome,
                usage=self.usage,
            )
        )
        return outcome

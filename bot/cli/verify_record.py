"""`truth verify` as a session on the dashboard: the patch as its one candidate, with its proof,
so the run can be opened at the URL the command ends with."""

from __future__ import annotations

import json
from pathlib import Path

from bot.fix.types import CandidateResult
from bot.repair.diffs import changed_lines
from bot.settings import Settings
from runner.results import Verdict, Verification

PATCH_ID = "patch"
SESSION_STATUS = {
    Verdict.VERIFIED: "verified",
    Verdict.BASELINE_PASSES: "nothing_to_fix",
    Verdict.ENVIRONMENT_ERROR: "environment_error",
    Verdict.FLAKY: "flaky",
}


def record_verify_session(
    settings: Settings,
    root: Path,
    patch: str,
    patch_name: str,
    result: Verification,
    proof_json: Path,
    proof_text: Path,
) -> str:
    """Store the verification as a finished session; its id."""
    from db import queries
    from db.engine import init_db, session_scope
    from db.fix_sessions import SessionSource

    engine = init_db(settings.database_url)
    try:
        with session_scope(engine) as db:
            command = result.baseline.command if result.baseline else None
            record = queries.create_session(
                db, source=SessionSource.CLI, repo_path=str(root), test_command=command
            )
            if result.baseline is not None:
                queries.record_run(db, record.id, result.baseline)
            if result.patched is not None:
                queries.record_run(db, record.id, result.patched, PATCH_ID)
            duration = result.patched.duration_ms if result.patched else 0.0
            queries.record_candidate(
                db, record.id,
                CandidateResult(
                    PATCH_ID, "truth verify", f"the patch in {patch_name}", patch,
                    result.verdict.value, result.reason, duration, changed_lines(patch),
                ),
            )  # fmt: skip
            proof = json.loads(proof_json.read_text(encoding="utf-8"))
            queries.record_proof(db, record.id, PATCH_ID, proof, str(proof_text))
            verified = result.verdict is Verdict.VERIFIED
            queries.finish_session(
                db, record.id, SESSION_STATUS.get(result.verdict, "no_fix"),
                f"truth verify: {result.verdict.value}: {result.reason}",
                winner_candidate_id=PATCH_ID if verified else None,
            )  # fmt: skip
            return record.id
    finally:
        engine.dispose()

"""The check run's buttons: "Apply fix" commits the session's verified diff to the PR branch."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.fix.job import FixJob
from bot.github import comments
from bot.github.apply_fix import apply_fix
from bot.github.fix_pr import read_checkout
from bot.github.gather import download_repository
from bot.github.pulls import PullRef
from bot.github.report import upsert_status
from db.fix_sessions import CandidateRecord, FixSession


def verified_diff(db: Engine, repository: str, head_sha: str) -> str | None:
    """The winning diff of the newest session that verified a fix on this commit."""
    with Session(db) as session:
        found = session.exec(
            select(FixSession)
            .where(FixSession.repository == repository, FixSession.head_sha == head_sha)
            .where(col(FixSession.winner_candidate_id).is_not(None))
            .order_by(col(FixSession.created_at).desc())
        ).first()
        if found is None:
            return None
        winner = session.exec(
            select(CandidateRecord).where(
                CandidateRecord.session_id == found.id,
                CandidateRecord.candidate_id == found.winner_candidate_id,
            )
        ).first()
        return winner.diff if winner is not None and winner.diff else None


async def apply_verified_fix(gh: Any, db: Engine, job: FixJob, pull: PullRef) -> str:
    diff = await asyncio.to_thread(verified_diff, db, job.repository, job.head_sha)
    if diff is None:
        message = (
            f"Not applied: no verified fix is recorded for `{job.head_sha[:7]}`. "
            "Press Re-run (or comment `/truth fix`) to verify one first."
        )
    else:
        with tempfile.TemporaryDirectory(prefix="truth-apply-") as workdir:
            root = await download_repository(gh, job.repository, job.head_sha, Path(workdir))
            checkout = read_checkout(root, diff)
        title = f"Apply Truth Engine's verified fix to #{pull.number}"
        message = (await apply_fix(gh, pull, diff, checkout, title)).message
    await upsert_status(
        gh, job.repository, pull.number, comments.status_comment("apply fix", message)
    )
    return message

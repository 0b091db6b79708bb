"""The caps a fix job checks before it starts: the installation's day, the PR, the commit."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.fix.job import FixJob
from bot.settings import Settings
from db.engine import session_scope
from db.github import sessions_for_pull, sessions_today


def quota_problem(db: Engine, settings: Settings, job: FixJob) -> str | None:
    """Why this job may not start (a sentence for the PR), or None when it may."""
    # The worker found the PR before asking (a fork's PR arrives without its number).
    number = job.pull_number if job.pull_number is not None else 0
    with session_scope(db) as session:
        today = sessions_today(session, job.installation_id)
        per_pr = sessions_for_pull(session, job.repository, number)
        per_head = sessions_for_pull(session, job.repository, number, job.head_sha)
    if today >= settings.daily_verification_quota:
        return (
            f"this installation used its daily quota of {settings.daily_verification_quota} "
            "fix sessions; it resets at 00:00 UTC. Comment `/truth retry` after that."
        )
    if per_pr >= settings.max_sessions_per_pr:
        return (
            f"this pull request reached its cap of {settings.max_sessions_per_pr} fix "
            "sessions. Ask the app's operator to raise TRUTH_MAX_SESSIONS_PER_PR if needed."
        )
    if per_head >= settings.max_sessions_per_head_sha:
        # Retrying the same commit rarely helps; a new push (a new head) gets fresh attempts.
        return (
            f"commit `{job.head_sha[:7]}` already had {per_head} fix sessions, the cap per "
            f"commit ({settings.max_sessions_per_head_sha}). Push a new commit to try again, or "
            "ask the app's operator to raise TRUTH_MAX_SESSIONS_PER_HEAD_SHA."
        )
    return None

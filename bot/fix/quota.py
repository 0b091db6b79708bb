"""The caps a fix job meets: the installation's daily quota of fix sessions (one model, the
`quota_usage` table the dashboard's bars read), the PR's and the commit's session caps.

`quota_problem` is the early, read-only check (before the config and logs are fetched);
`take_quota` takes one session from the day's quota atomically where the session starts, so
two workers can never both take the last one.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.fix.job import FixJob
from bot.settings import Settings
from db.engine import session_scope
from db.github import sessions_for_pull
from db.quota import consume_quota, verifications_today


def exhausted(settings: Settings) -> str:
    return (
        f"this installation used its daily quota of {settings.daily_verification_quota} fix "
        "sessions; it resets at 00:00 UTC. Comment `/truth retry` after that."
    )


def quota_problem(db: Engine, settings: Settings, job: FixJob) -> str | None:
    """Why this job may not start (a sentence for the PR), or None when it may."""
    # The worker found the PR before asking (a fork's PR arrives without its number).
    number = job.pull_number if job.pull_number is not None else 0
    with session_scope(db) as session:
        today = verifications_today(session, job.installation_id)
        per_pr = sessions_for_pull(session, job.repository, number)
        per_head = sessions_for_pull(session, job.repository, number, job.head_sha)
    if today >= settings.daily_verification_quota:
        return exhausted(settings)
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


def take_quota(db: Engine, settings: Settings, installation_id: int) -> str | None:
    """Take one fix session from the installation's quota for today; why not, or None."""
    with session_scope(db) as session:
        taken = consume_quota(session, installation_id, 1, settings.daily_verification_quota)
    return None if taken else exhausted(settings)

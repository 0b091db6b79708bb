"""Per-installation daily verification quota: how much is used and taking more atomically."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from db.fix_sessions import QuotaUsage


def _today() -> date:
    return datetime.now(UTC).date()


def verifications_today(session: Session, installation_id: int, day: date | None = None) -> int:
    usage = session.get(QuotaUsage, (installation_id, day or _today()))
    return usage.verifications if usage else 0


def consume_quota(
    session: Session, installation_id: int, n: int, limit: int, day: date | None = None
) -> bool:
    """Take `n` verifications from today's quota; False (and nothing taken) if it would exceed."""
    if n < 0:
        raise ValueError(f"cannot consume a negative number of verifications ({n})")
    day = day or _today()
    if session.get(QuotaUsage, (installation_id, day)) is None:
        try:
            with session.begin_nested():
                session.add(QuotaUsage(installation_id=installation_id, day=day))
        except IntegrityError:
            pass  # another worker created today's row first; the update below still holds
    # One conditional UPDATE, so concurrent workers cannot both pass the check.
    result = session.execute(
        update(QuotaUsage)
        .where(
            col(QuotaUsage.installation_id) == installation_id,
            col(QuotaUsage.day) == day,
            col(QuotaUsage.verifications) + n <= limit,
        )
        .values(verifications=col(QuotaUsage.verifications) + n)
        .execution_options(synchronize_session=False)
    )
    loaded = session.get(QuotaUsage, (installation_id, day))
    if loaded is not None:
        session.refresh(loaded)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]

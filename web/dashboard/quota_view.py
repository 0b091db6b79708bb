"""The daily quota as the dashboard shows it: one bar per installation the viewer may see, with
its account's name and when it resets; in local mode this machine's usage, without a bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from db.dashboard import local_sessions_today
from db.engine import session_scope
from db.github import GitHubInstallation
from db.quota import verifications_today
from web.auth import Viewer


@dataclass(frozen=True)
class QuotaBar:
    installation_id: int
    name: str
    used: int
    limit: int

    @property
    def percent(self) -> int:
        return 100 if self.limit <= 0 else min(100, round(100 * self.used / self.limit))

    @property
    def level(self) -> str:
        return "full" if self.used >= self.limit else "high" if self.percent >= 80 else "ok"

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class QuotaPanel:
    bars: list[QuotaBar]
    resets_in: str  # "5 h 12 min"
    local_today: int | None = None  # local mode: sessions this machine ran today

    @property
    def empty(self) -> bool:
        return not self.bars and not self.local_today


def resets_in(now: datetime) -> str:
    """Time left until 00:00 UTC, when every installation's day starts again."""
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = max(1, int((midnight - now).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def quota_panel(
    engine: Engine, viewer: Viewer, limit: int, now: datetime | None = None
) -> QuotaPanel:
    now = now or datetime.now(UTC)
    with session_scope(engine) as db:
        if viewer.local:
            return QuotaPanel([], resets_in(now), local_sessions_today(db, now))
        ids = sorted(viewer.installation_ids)
        names = dict(
            db.exec(
                select(GitHubInstallation.id, GitHubInstallation.account).where(
                    col(GitHubInstallation.id).in_(ids)
                )
            ).all()
        )
        bars = [
            QuotaBar(i, names.get(i) or f"installation {i}", verifications_today(db, i), limit)
            for i in ids
        ]
    return QuotaPanel(bars, resets_in(now))

"""Search filters and paging for session lists, parsed from a query string (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from db.fix_sessions import SessionStatus
from web import params as checks

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
STATUSES = [status.value for status in SessionStatus]


# A filter value is malformed; the message names the parameter and the expected form.
FilterError = checks.BadParam


@dataclass(frozen=True)
class Filters:
    error_type: str | None = None
    repository: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive: the whole day counts
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def since_at(self) -> datetime | None:
        return datetime.combine(self.since, time.min, UTC) if self.since else None

    @property
    def until_at(self) -> datetime | None:
        if self.until is None or self.until == date.max:  # date.max: no day after it
            return None
        return datetime.combine(self.until + timedelta(days=1), time.min, UTC)

    def query(self, page: int | None = None) -> str:
        """The query string for these filters at `page`, for paging links."""
        values = {
            "error_type": self.error_type,
            "repository": self.repository,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "per_page": self.per_page if self.per_page != DEFAULT_PER_PAGE else None,
            "page": page if page is not None and page != 1 else None,
        }
        return urlencode({k: v for k, v in values.items() if v is not None})


def parse_filters(params: Mapping[str, str]) -> Filters:
    """Filters from a query string; FilterError (a 400) for any malformed or out-of-range value."""
    status = checks.choice(params.get("status"), "status", STATUSES)
    since, until = (
        checks.day(params.get("since"), "since"),
        checks.day(params.get("until"), "until"),
    )
    if since and until and since > until:
        raise FilterError(f"since ({since}) is after until ({until}); swap them")
    return Filters(
        error_type=checks.text(params.get("error_type"), "error_type"),
        repository=checks.text(params.get("repository"), "repository"),
        status=status,
        since=since,
        until=until,
        page=checks.integer(params.get("page"), "page", 1, 1, MAX_PAGE),
        per_page=checks.integer(
            params.get("per_page"), "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE
        ),
    )

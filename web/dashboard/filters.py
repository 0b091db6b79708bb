"""Search filters and paging for session lists, parsed from a query string (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from db.sessions import SessionStatus

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
STATUSES = [status.value for status in SessionStatus]


class FilterError(ValueError):
    """A filter value is malformed; the message names the parameter and the expected form."""


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
        return (
            datetime.combine(self.until + timedelta(days=1), time.min, UTC) if self.until else None
        )

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


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name, "").strip()
    return value or None


def _date(params: Mapping[str, str], name: str) -> date | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}={value!r} is not a date; use YYYY-MM-DD") from None


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = _text(params, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise FilterError(f"{name}={value!r} is not a whole number") from None
    if not low <= number <= high:
        raise FilterError(f"{name} must be between {low} and {high}, not {number}")
    return number


def parse_filters(params: Mapping[str, str]) -> Filters:
    status = _text(params, "status")
    if status is not None and status not in STATUSES:
        raise FilterError(f"status={status!r} is unknown; use one of {', '.join(STATUSES)}")
    since, until = _date(params, "since"), _date(params, "until")
    if since and until and since > until:
        raise FilterError(f"since ({since}) is after until ({until}); swap them")
    return Filters(
        error_type=_text(params, "error_type"),
        repository=_text(params, "repository"),
        status=status,
        since=since,
        until=until,
        page=_int(params, "page", 1, 1, 100_000),
        per_page=_int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )

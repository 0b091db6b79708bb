"""Database reads for the dashboard and the sessions API, always scoped to what a viewer may see."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from db.engine import session_scope
from db.fix_sessions import FixSession
from db.queries import SessionDetail, get_session_detail, list_sessions
from web.auth import Viewer
from web.dashboard.filters import Filters

EngineGetter = Callable[[], Engine]


def lazy_engine(database_url: str) -> EngineGetter:
    """Migrate and connect on the first request, so building the app touches no database."""
    cache: dict[str, Engine] = {}

    def get() -> Engine:
        if "engine" not in cache:
            from db.engine import init_db

            cache["engine"] = init_db(database_url)
        return cache["engine"]

    return get


def find_sessions(
    engine: Engine, viewer: Viewer, filters: Filters
) -> tuple[list[FixSession], bool]:
    """One page of sessions, newest first, and whether another page follows."""
    with session_scope(engine) as db:
        rows = list_sessions(
            db,
            error_type=filters.error_type,
            repository=filters.repository,
            status=filters.status,
            since=filters.since_at,
            until=filters.until_at,
            installation_ids=viewer.scope,
            limit=filters.per_page + 1,
            offset=filters.offset,
        )
    return rows[: filters.per_page], len(rows) > filters.per_page


def visible_detail(engine: Engine, viewer: Viewer, session_id: str) -> SessionDetail | None:
    """The session's detail, or None both when it does not exist and when it is not the
    viewer's: callers answer 404 either way, so other orgs' session ids stay unconfirmed."""
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        if record is None or not viewer.may_see(record.installation_id):
            return None
        return get_session_detail(db, session_id)


def visible_status(engine: Engine, viewer: Viewer, session_id: str) -> str | None:
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        if record is None or not viewer.may_see(record.installation_id):
            return None
        return record.status

"""Dashboard pages without a browser: search, paging, permalink contents, proofs, snippets."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bot.repair.fix_cache import remember_fix
from bot.settings import Settings
from db.engine import session_scope
from db.fix_sessions import FixSession
from tests.fixtures.github import FakeGitHub
from tests.web.dashboard.app import INSTALLATION_A, INSTALLATION_B, log_in, serve
from tests.web.dashboard.seed import LOSER_DIFF, WINNER_DIFF, seed_session


def listed(page: str) -> list[str]:
    return re.findall(r'href="/sessions/(\w+)"', page)


def backdate(engine: Engine, session_id: str, days: int) -> None:
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        assert record is not None
        record.created_at = datetime.now(UTC) - timedelta(days=days)
        db.add(record)


async def test_search_by_error_type_repository_status_and_dates(
    local_settings: Settings, db_engine: Engine
) -> None:
    index = seed_session(db_engine, installation_id=1, repository="acme/a", error_type="IndexError")
    key = seed_session(db_engine, installation_id=1, repository="acme/b", error_type="KeyError")
    running = seed_session(db_engine, installation_id=1, repository="acme/b", finished=False)
    backdate(db_engine, key.session_id, days=10)
    old_day = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    async with serve(local_settings) as client:
        by_type = await client.get("/sessions", params={"error_type": "KeyError"})
        by_repo = await client.get("/sessions", params={"repository": "acme/b"})
        by_status = await client.get("/sessions", params={"status": "running"})
        by_day = await client.get("/sessions", params={"since": old_day, "until": old_day})
        bad = await client.get("/sessions", params={"status": "exploded"})

    assert listed(by_type.text) == [key.session_id]
    assert set(listed(by_repo.text)) == {key.session_id, running.session_id}
    assert listed(by_status.text) == [running.session_id]
    assert listed(by_day.text) == [key.session_id]
    assert index.session_id not in listed(by_day.text)
    assert bad.status_code == 400 and "use one of running, verified" in bad.text


async def test_paging_keeps_the_filters(local_settings: Settings, db_engine: Engine) -> None:
    seeded = [seed_session(db_engine, installation_id=1, error_type="IndexError") for _ in range(3)]
    async with serve(local_settings) as client:
        first = await client.get("/sessions", params={"error_type": "IndexError", "per_page": 2})
        older = re.search(r'rel="next" href="([^"]+)"', first.text)
        assert older is not None
        second = await client.get(older.group(1).replace("&amp;", "&"))
    assert len(listed(first.text)) == 2 and len(listed(second.text)) == 1
    assert set(listed(first.text) + listed(second.text)) == {s.session_id for s in seeded}
    assert 'rel="next"' not in second.text and 'rel="prev"' in second.text


async def test_permalink_shows_candidates_winner_diff_and_any_candidate_on_demand(
    local_settings: Settings, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=None, repository="acme/a")
    async with serve(local_settings) as client:
        page = (await client.get(f"/sessions/{seeded.session_id}")).text
        loser = (await client.get(f"/sessions/{seeded.session_id}?diff=cand-2")).text
        text = await client.get(f"/sessions/{seeded.session_id}/proof/cand-1.txt")
        none = await client.get(f"/sessions/{seeded.session_id}/proof/cand-2.json")

    assert "Diff of candidate cand-1 (the verified fix)" in page
    # Plain words for the verdict, the reason kept whole.
    assert "tests still fail: IndexError still raised" in page and "412 ms" in page
    assert f"https://vscode.dev/github/acme/a/blob/{'e' * 40}/calc.py#L2" in page
    assert "    return items[len(items) - 1]" in page
    assert "Diff of candidate cand-2</h2>" in loser and "items = list(items)" in loser
    assert text.status_code == 200 and text.headers["content-disposition"].endswith('.txt"')
    assert "verdict: verified" in text.text
    assert none.status_code == 404 and "has no proof named &#39;cand-2&#39;" in none.text


async def test_snippets_are_searchable_and_scoped_to_the_viewer(
    github_settings: Settings, fake_github: FakeGitHub, db_engine: Engine
) -> None:
    seed_session(
        db_engine, installation_id=INSTALLATION_A, repository="a/app", error_type="KeyError"
    )
    seed_session(
        db_engine,
        installation_id=INSTALLATION_B,
        repository="b/app",
        error_type="ZeroDivisionError",
    )
    remember_fix(db_engine, "sig-KeyError", WINNER_DIFF, repository="a/app")
    remember_fix(db_engine, "sig-ZeroDivisionError", LOSER_DIFF, repository="b/app")
    fake_github.add_oauth_user("ada", installations=[INSTALLATION_A])
    async with serve(github_settings) as client:
        await log_in(client, fake_github, "ada")
        everything = (await client.get("/snippets")).text
        searched = (await client.get("/snippets", params={"error_type": "keyerr"})).text
        nothing = (await client.get("/snippets", params={"error_type": "TypeError"})).text

    assert "KeyError" in everything and "a/app" in everything
    assert "ZeroDivisionError" not in everything and "b/app" not in everything
    assert "KeyError" in searched and "items[len(items) - 1]" in searched
    assert "No verified fixes for “TypeError” yet." in nothing

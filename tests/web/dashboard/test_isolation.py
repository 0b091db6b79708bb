"""A user of installation A never sees installation B's session: not listed, and 404 everywhere."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.settings import Settings
from tests.fixtures.github import FakeGitHub
from tests.web.dashboard.app import INSTALLATION_A, INSTALLATION_B, log_in, serve
from tests.web.dashboard.seed import seed_session


@pytest.fixture
async def as_user_of_a(
    github_settings: Settings, fake_github: FakeGitHub
) -> AsyncIterator[httpx.AsyncClient]:
    fake_github.add_oauth_user("ada", installations=[INSTALLATION_A])
    async with serve(github_settings) as client:
        await log_in(client, fake_github, "ada")
        yield client


async def test_other_installations_sessions_are_not_found_anywhere(
    as_user_of_a: httpx.AsyncClient, db_engine: Engine
) -> None:
    mine = seed_session(db_engine, installation_id=INSTALLATION_A, repository="a-org/app")
    theirs = seed_session(db_engine, installation_id=INSTALLATION_B, repository="b-org/secret")
    cli = seed_session(db_engine, installation_id=None, repository=None, repo_path="/srv/x")
    client = as_user_of_a

    listing = await client.get("/sessions")
    assert mine.session_id in listing.text
    assert theirs.session_id not in listing.text and "b-org/secret" not in listing.text
    assert cli.session_id not in listing.text  # CLI sessions only show in local mode
    searched = await client.get("/sessions", params={"repository": "b-org/secret"})
    assert theirs.session_id not in searched.text

    missing = await client.get("/sessions/doesnotexist0000")
    for other in (theirs.session_id, cli.session_id):
        for path in (
            f"/sessions/{other}",
            f"/sessions/{other}/console",
            f"/sessions/{other}/proof/cand-1.json",
            f"/sessions/{other}/proof/cand-1.txt",
        ):
            answer = await client.get(path)
            assert answer.status_code == 404, path
            # Same page as for an id that does not exist: nothing confirms the session is real.
            assert answer.text == missing.text.replace("doesnotexist0000", other)
            assert "b-org/secret" not in answer.text

    assert (await client.get(f"/sessions/{mine.session_id}")).status_code == 200
    own_proof = await client.get(f"/sessions/{mine.session_id}/proof/cand-1.json")
    assert own_proof.status_code == 200


async def test_quota_bars_show_only_the_viewers_installations(
    as_user_of_a: httpx.AsyncClient, db_engine: Engine, github_settings: Settings
) -> None:
    from bot.fix.quota import take_quota

    # Taken the way sessions take it as they start (tests/e2e/test_quota_bars.py runs one).
    for _ in range(4):
        assert take_quota(db_engine, github_settings, INSTALLATION_A) is None
    for _ in range(9):
        assert take_quota(db_engine, github_settings, INSTALLATION_B) is None
    page = (await as_user_of_a.get("/sessions")).text
    assert f"installation {INSTALLATION_A}</strong>: 4 / 10 fix sessions today, 6 left" in page
    assert 'style="width: 40%"' in page
    assert f"installation {INSTALLATION_B}" not in page

"""One quota model: a real fix session on a PR takes one from its installation's daily quota,
and the dashboard's bar (with the account's name and the reset time) shows exactly that."""

from __future__ import annotations

import re
from typing import Any

import pytest
import redis
from pydantic import SecretStr

from bot.settings import Settings
from tests.e2e.test_github_flow import (
    INSTALLATION,
    PATCH_OVER_THE_BUG,
    deliver,
    failing_check_run,
    run_worker,
    serve_example,
)
from tests.fixtures.app import SettingsFactory
from tests.fixtures.app import serve as serve_app
from tests.fixtures.github import FakeGitHub, load_payload
from tests.web.dashboard.app import CLIENT_ID, CLIENT_SECRET, PUBLIC_URL, log_in
from tests.web.dashboard.app import serve as serve_dashboard

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture
def settings(make_settings: SettingsFactory, sandbox_image: str) -> Settings:
    return make_settings(
        sandbox_image=sandbox_image, model=None, fallback_model=None, public_url=PUBLIC_URL,
        github_client_id=CLIENT_ID, github_client_secret=SecretStr(CLIENT_SECRET),
        daily_verification_quota=3,
    )  # fmt: skip


def installed_on_acme() -> dict[str, Any]:
    payload = load_payload("installation", "created.payload.json")
    payload["installation"]["id"] = INSTALLATION
    payload["installation"]["account"]["login"] = "acme"
    return payload


async def test_a_session_takes_one_from_the_quota_and_the_bar_shows_it(
    fake_github: FakeGitHub, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    async with serve_app(settings) as client:
        installed = await deliver(client, "installation", installed_on_acme(), delivery="i-1")
        assert installed.status_code == 202, installed.text
        failing = await deliver(client, "check_run", failing_check_run(), delivery="d-1")
        assert failing.status_code == 202
    run = await run_worker(settings)
    assert run.failed == 0

    fake_github.add_oauth_user("ada", installations=[INSTALLATION])
    async with serve_dashboard(settings) as dashboard:
        await log_in(dashboard, fake_github, "ada")
        page = (await dashboard.get("/sessions")).text
        landing = (await dashboard.get("/")).text

    bar = re.search(r'<div class="quota quota-(\w+)">(.*?)</div>', page, re.S)
    assert bar is not None, page
    level, text = bar.groups()
    assert level == "ok"
    assert "<strong>acme</strong>: 1 / 3 fix sessions today, 2 left" in text
    assert re.search(r"resets in (\d+ h )?\d+ min \(00:00 UTC\)", text)
    assert 'aria-valuenow="1"' in text and 'style="width: 33%"' in text
    assert "<strong>acme</strong>: 1 / 3" in landing  # the landing page reads the same model

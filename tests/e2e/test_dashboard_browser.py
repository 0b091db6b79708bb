"""Chromium drives a session page: live console, candidates, diff, copy and proof download.

The server runs in local mode (no GitHub App configured), so no login is needed: the browser
is a real process outside this test and cannot reach the respx-mocked github.com, so the
OAuth web flow is covered in tests/web/test_auth.py instead, against the fake GitHub.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy.engine import Engine

from bot.settings import Settings
from db.engine import init_db
from db.queries import proof_sha256
from tests.web.dashboard.seed import (
    WINNER_DIFF,
    append_console,
    finish,
    seed_session,
    verified_proof,
)
from tests.web.dashboard.server import running
from web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = Path("/tmp/truth-dashboard-session.png")


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash deploy/bootstrap.sh` (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = init_db(f"sqlite:///{tmp_path / 'truth.db'}")
    yield engine
    engine.dispose()


def test_session_permalink_in_a_real_browser(
    browser: Browser, sqlite_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(
        state_dir=tmp_path / "state", database_url=str(sqlite_engine.url), public_url="http://x"
    )
    seeded = seed_session(
        sqlite_engine, installation_id=None, repository=None, finished=False,
        repo_path="/home/ada/calc", console=("Analyzing failure…", "Reproducing in sandbox…"),
    )  # fmt: skip
    with running(create_app(settings)) as base:
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        page.goto(f"{base}/sessions/{seeded.session_id}")
        console = page.locator("#console li")
        expect(console).to_have_count(2)

        # Written while the page is open: the SSE stream must bring them in without a reload.
        append_console(sqlite_engine, seeded.session_id, "Candidate 1: PASSED (412 ms)")
        expect(console).to_have_count(3, timeout=10_000)
        append_console(sqlite_engine, seeded.session_id, "Candidate 2: FAILED (IndexError)")
        expect(console.nth(3)).to_contain_text("Candidate 2: FAILED (IndexError)", timeout=10_000)
        finish(sqlite_engine, seeded.session_id)
        expect(page.locator("#status")).to_have_text("verified", timeout=10_000)

        page.reload()
        rows = page.locator("#candidates tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("rules")
        expect(rows.nth(0)).to_contain_text("verified")
        expect(rows.nth(1)).to_contain_text("IndexError still raised")
        expect(page.locator("table.diff td.removed")).to_contain_text("return items[len(items)]")
        expect(page.locator("table.diff td.added")).to_contain_text("return items[len(items) - 1]")
        expect(page.locator("#open-vscode")).to_have_attribute(
            "href", "vscode://file/home/ada/calc/calc.py:2"
        )
        expect(console).to_have_count(4)

        page.click("#copy-diff")
        expect(page.locator("#copy-note")).to_have_text("Diff copied to the clipboard.")
        assert page.evaluate("navigator.clipboard.readText()") == WINNER_DIFF

        with page.expect_download() as download_info:
            page.locator("#candidates a", has_text="JSON").first.click()
        download = download_info.value
        assert download.suggested_filename == f"truth-proof-{seeded.session_id}-cand-1.json"
        proof = json.loads(Path(download.path()).read_text())
        assert proof["verdict"] == "verified" and proof["patch"] == WINNER_DIFF
        assert proof_sha256(proof) == proof_sha256(verified_proof(WINNER_DIFF))  # byte-for-byte

        page.screenshot(path=str(SCREENSHOT), full_page=True)
        context.close()

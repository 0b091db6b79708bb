"""Chromium opens /docs: Swagger UI renders every /v1 operation from /openapi.json, and the
page loads nothing from any host but this server (no CDN)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.settings import Settings
from db.engine import init_db
from tests.web.dashboard.server import running
from web.api import routes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"


def test_docs_render_every_operation_from_local_assets(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash deploy/bootstrap.sh`")
    engine: Engine = init_db(f"sqlite:///{tmp_path / 'truth.db'}")
    settings = Settings(state_dir=tmp_path / "state")  # type: ignore[call-arg]
    app = Starlette(routes=routes(settings, engine=engine))
    requested: list[str] = []
    try:
        with running(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{base}/docs")
            expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
            summaries = page.locator(".opblock-summary-path").all_inner_texts()
            title = page.locator(".info .title").inner_text()
            browser.close()
    finally:
        engine.dispose()

    assert "Truth Engine API" in title
    shown = {text.replace("\u200b", "") for text in summaries}
    assert {"/v1/traces", "/v1/traces/{trace_id}/chunks", "/v1/sessions"} <= shown, shown
    assert requested and all(url.startswith(base) for url in requested), requested

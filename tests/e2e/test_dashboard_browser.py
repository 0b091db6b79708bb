"""Chromium walks what a person sees: the landing page, a finished session, a live session that
fills in without a reload, the paste-a-bug page from paste to a fix verified in a real sandbox
(rule engine), a trace page, the API docs, and the setup page reloaded twice, then registered.

The server runs in local mode (no GitHub App configured), so no sign-in is needed: the browser
is a process outside this test and cannot reach the respx-mocked github.com, so the OAuth web
flow is covered in tests/web/test_auth.py, and GitHub's new-app page is played by a Playwright
route here. Each step's screenshot is kept (tests/e2e/browser.py says where).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from sqlalchemy.engine import Engine

from bot.settings import Settings
from db.engine import init_db
from db.queries import proof_sha256
from tests.e2e.browser import browser, screenshot
from tests.e2e.live_session import LiveSession
from tests.fixtures.github import FakeGitHub
from tests.web.dashboard.seed import WINNER_DIFF, seed_session, verified_proof
from tests.web.dashboard.server import free_port, running
from web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.docker, pytest.mark.services]
__all__ = ["browser"]  # the fixture

EXAMPLE_TRACE = Path(__file__).resolve().parents[2] / "examples" / "traces" / "example-trace.json"
PASTED_CODE = '''def last(items):
    """The last item of a non-empty list."""
    return items[len(items)]


def first(items):
    return items[0]
'''
TRACEBACK = """Traceback (most recent call last):
  File "/home/ada/app.py", line 3, in <module>
    print(last([1, 2, 3]))
  File "/home/ada/listutil.py", line 3, in last
    return items[len(items)]
IndexError: list index out of range"""


def submit_trace(base: str, engine: Engine) -> str:
    """The example trace through the API, as a client would send it, about acme/widgets#7."""
    from bot.traces.tokens import mint_token

    token = mint_token(engine, 0, "browser test")
    auth = {"Authorization": f"Bearer {token}"}
    document = json.loads(EXAMPLE_TRACE.read_text())
    events = document.pop("events")
    document["repo"]["name"] = "acme/widgets"
    document["task"]["pull_request"] = 7
    with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
        trace_id = str(
            client.post("/v1/traces", json=document).raise_for_status().json()["trace_id"]
        )
        client.post(
            f"/v1/traces/{trace_id}/chunks", json={"events": events},
            headers={"Idempotency-Key": "all"},
        ).raise_for_status()  # fmt: skip
        client.post(f"/v1/traces/{trace_id}/finalize").raise_for_status()
    return trace_id


def paste(page: Page, text: str) -> None:
    """What a person does: copy, click into the editor, Ctrl+V."""
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+V")


def landing_then_a_finished_session(page: Page, base: str, session_id: str) -> None:
    page.goto(base)
    expect(page.locator("#recent tbody tr")).to_have_count(2)
    expect(page.locator("header nav a", has_text="API docs")).to_have_attribute("href", "/docs")
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", "/static/favicon.svg")
    screenshot(page, "01-landing")
    page.locator(f'#recent a[href="/sessions/{session_id}"]').click()
    expect(page.locator("#status")).to_have_text("verified fix")
    rows = page.locator("#candidates tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("passed")
    expect(rows.nth(1)).to_contain_text("tests still fail: IndexError still raised")
    expect(page.locator("table.diff td.removed")).to_contain_text("return items[len(items)]")
    expect(page.locator("table.diff td.added")).to_contain_text("return items[len(items) - 1]")
    expect(page.locator("#trace-link")).to_be_visible()
    page.click("#copy-diff")
    expect(page.locator("#copy-note")).to_have_text("Diff copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == WINNER_DIFF
    with page.expect_download() as download_info:
        page.locator("#candidates a", has_text="JSON").first.click()
    download = download_info.value
    assert download.suggested_filename == f"truth-proof-{session_id}-cand-1.json"
    proof = json.loads(Path(download.path()).read_text())
    assert proof_sha256(proof) == proof_sha256(verified_proof(WINNER_DIFF))  # byte-for-byte
    # Keyboard: the rows are reachable and Enter shows the focused candidate's diff in place.
    rows.nth(0).focus()
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#diff h2")).to_contain_text("Diff of candidate cand-2")
    expect(page.locator("table.diff td.added")).to_contain_text("items = list(items)")
    screenshot(page, "02-session")


def a_live_session_fills_in(page: Page, base: str, live: LiveSession) -> None:
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(f"{base}/sessions/{live.session_id}")
    expect(page.locator("#no-candidates")).to_be_visible()
    rows = page.locator("#candidates tbody tr")
    live.judge("c1", "failed", "assert [0, 0, 0] == [3, 5, 7]")
    expect(rows).to_have_count(1, timeout=10_000)
    expect(rows.nth(0)).to_contain_text(
        "still fails tests/test_calc.py::test_last: assert [0, 0, 0] == [3, 5, 7]"
    )
    live.say("Candidate 2 (rules): passed")
    live.judge("c2", "verified", "")
    expect(rows).to_have_count(2, timeout=10_000)
    expect(page.locator("#console li").last).to_contain_text("Candidate 2 (rules): passed")
    live.finish(winner="c2")
    expect(page.locator("#status")).to_have_text("verified fix", timeout=10_000)
    expect(page.locator("#diff h2")).to_contain_text("(the verified fix)", timeout=10_000)
    expect(page.locator("table.diff td.added")).to_contain_text("return items[len(items) - 1]")
    assert len(loads) == 1, loads  # all of it arrived on the open page
    screenshot(page, "03-live-session")


def paste_to_a_verified_fix(page: Page, base: str) -> None:
    page.goto(f"{base}/paste")
    expect(page.locator("#model-note")).to_contain_text("A model would also propose")
    paste(page, "import requests\n\n" + PASTED_CODE)
    expect(page.locator("#badges .badge")).to_have_text(["requests (latest)"], timeout=10_000)
    paste(page, PASTED_CODE + "\n" + TRACEBACK + "\n")
    # Smart paste: the traceback left the code for the log; the reproduction is proposed.
    expect(page.locator("#log")).to_have_value(TRACEBACK, timeout=10_000)
    expect(page.locator("#module")).to_have_value("listutil.py")
    expect(page.locator("#reproduction")).to_have_value(
        "from listutil import *  # noqa: F403 (the pasted code)\n\n\n"
        "def test_the_call_that_raised():\n"
        '    """The call the traceback shows raising IndexError: it must not raise."""\n'
        "    print(last([1, 2, 3]))\n"
    )
    assert "Traceback" not in page.locator(".cm-content").inner_text()
    expect(page.locator("#badges")).to_have_text("none detected")
    screenshot(page, "04-paste")
    page.click("#verify")
    page.wait_for_url("**/paste/*")
    expect(page.locator("#status")).to_have_text("verified fix", timeout=600_000)
    expect(page.locator("table.diff td.added")).to_contain_text(
        "return items[len(items) - 1]", timeout=10_000
    )
    expect(page.locator("h2", has_text="Failures")).to_be_visible()
    expect(page.locator("#console li").first).to_be_attached()
    expect(page.locator("#permalink")).to_have_attribute("href", page.url.replace(base, ""))
    expect(page.locator("#diff a", has_text="Proof (text)")).to_be_visible()
    screenshot(page, "05-paste-verified")


def the_trace_then_the_docs(page: Page, base: str, session_id: str) -> None:
    page.goto(f"{base}/sessions/{session_id}")
    page.click("#trace-link")
    expect(page.locator("#chain-state")).to_contain_text("Intact: 14 events; checked the HMAC")
    expect(page.locator("#chain-state")).to_contain_text("Ed25519 signature of this server's key")
    expect(page.locator("#timeline > li")).to_have_count(14)
    expect(page.locator("#scores")).to_contain_text("/ 5")
    screenshot(page, "06-trace")
    page.locator("header nav a", has_text="API docs").click()
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    screenshot(page, "07-docs")


def github_new_app_page(route: Route) -> None:
    """GitHub's "create app from manifest" page: it shows the app and sends the person back
    to the manifest's redirect_url with a code and the state it was given."""
    form = dict(p.split("=", 1) for p in (route.request.post_data or "").split("&") if "=" in p)
    from urllib.parse import parse_qs, unquote_plus, urlsplit

    manifest = json.loads(unquote_plus(form["manifest"]))
    state = parse_qs(urlsplit(route.request.url).query)["state"][0]
    page = (
        f"<h1>Create GitHub App {manifest['name']}</h1>"
        f'<form method="get" action="{manifest["redirect_url"]}">'
        f'<input type="hidden" name="code" value="abc123">'
        f'<input type="hidden" name="state" value="{state}">'
        "<button>Create GitHub App</button></form>"
    )
    route.fulfill(status=200, content_type="text/html", body=page)


def setup_reloaded_twice_then_registered(context: BrowserContext, link: str) -> None:
    page = context.new_page()
    page.route("https://github.com/**", github_new_app_page)
    for _ in range(3):  # open, reload, reload: the link stays valid
        answer = page.goto(link) if not page.url.startswith("http") else page.reload()
        assert answer is not None and answer.status == 200
        expect(page.locator("button[type=submit]")).to_have_text("Register the app on GitHub")
    screenshot(page, "08-setup-after-two-reloads")
    second_tab = context.new_page()
    assert (second_tab.goto(link) or pytest.fail("no answer")).status == 200
    page.click("button[type=submit]")
    page.get_by_role("button", name="Create GitHub App").click()
    expect(page.locator("body")).to_contain_text("Registered octoapp")
    screenshot(page, "09-setup-registered")
    gone = second_tab.reload()
    assert gone is not None and gone.status == 404  # registering ended every link


@pytest.mark.timeout(900)
def test_a_person_walks_the_dashboard(
    browser: Browser, tmp_path: Path, redis_url: str, fake_github: FakeGitHub, sandbox_image: str
) -> None:
    fake_github.router.route(url__startswith="http://127.0.0.1").pass_through()
    engine = init_db(f"sqlite:///{tmp_path / 'truth.db'}")
    port = free_port()
    settings = Settings(
        state_dir=tmp_path / "state", database_url=str(engine.url), redis_url=redis_url,
        public_url=f"http://127.0.0.1:{port}", sandbox_image=sandbox_image, model=None,
    )  # fmt: skip
    finished = seed_session(engine, installation_id=None, repository="acme/widgets")
    live = LiveSession.start(engine)
    app = create_app(settings)
    options: dict[str, Any] = {"accept_downloads": True, "viewport": {"width": 1280, "height": 900}}
    try:
        with running(app, port=port) as base:
            submit_trace(base, engine)
            context = browser.new_context(**options)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
            page = context.new_page()
            landing_then_a_finished_session(page, base, finished.session_id)
            a_live_session_fills_in(page, base, live)
            paste_to_a_verified_fix(page, base)
            the_trace_then_the_docs(page, base, finished.session_id)
            setup_reloaded_twice_then_registered(context, app.state.setup_link)
            context.close()
    finally:
        engine.dispose()


def test_the_session_page_fits_a_phone_and_has_a_dark_mode(
    browser: Browser, tmp_path: Path
) -> None:
    engine = init_db(f"sqlite:///{tmp_path / 'truth.db'}")
    settings = Settings(state_dir=tmp_path / "state", database_url=str(engine.url))
    seeded = seed_session(engine, installation_id=None, repository="acme/widgets")
    try:
        with running(create_app(settings, print_setup_link=False)) as base:
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            page = phone.new_page()
            page.goto(f"{base}/sessions/{seeded.session_id}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the page is {width} px wide on a 390 px screen"
            screenshot(page, "10-session-phone")
            phone.close()
            dark = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
            page = dark.new_page()
            page.goto(f"{base}/sessions/{seeded.session_id}")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(13, 17, 23)", background
            screenshot(page, "11-session-dark")
            dark.close()
    finally:
        engine.dispose()

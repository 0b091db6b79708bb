"""The paste page's HTTP side: smart paste as JSON, a form only this site can send, a session
whose permalink works at once and that ends with what stopped it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.settings import Settings
from db.engine import session_scope
from db.fix_sessions import FixSession
from tests.web.dashboard.app import PUBLIC_URL, serve

CODE = "def last(items):\n    return items[len(items)]\n"
TEST = "from snippet import *\n\n\ndef test_last():\n    assert last([1, 2]) == 2\n"
SAME_SITE = {"origin": PUBLIC_URL}


def form_token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


async def test_smart_paste_moves_the_traceback_and_names_the_libraries(
    local_settings: Settings,
) -> None:
    traceback = (
        'Traceback (most recent call last):\n  File "/x/app.py", line 1, in <module>\n'
        '    last([])\n  File "/x/snippet.py", line 2, in last\n'
        "    return items[len(items)]\nIndexError: list index out of range"
    )
    async with serve(local_settings) as client:
        body = {"code": "import numpy\n" + CODE + "\n" + traceback, "log": ""}
        answer = await client.post("/paste/analyze", json=body, headers=SAME_SITE)
        elsewhere = await client.post("/paste/analyze", json=body)
    parts = answer.json()
    assert parts["log"] == traceback and "Traceback" not in parts["code"]
    assert parts["libraries"] == ["numpy"] and parts["module"] == "snippet.py"
    assert parts["reproduction"].rstrip().endswith("last([])")
    assert elsewhere.status_code == 403  # another site's page may not use it


async def test_a_form_from_elsewhere_or_expired_starts_nothing(
    local_settings: Settings, db_engine: Engine
) -> None:
    fields = {"code": CODE, "reproduction": TEST, "module": "snippet.py", "token": "forged"}
    async with serve(local_settings) as client:
        cross_site = await client.post("/paste", data=fields)
        forged = await client.post("/paste", data=fields, headers=SAME_SITE)
        bad_field = await client.post(
            "/paste", headers=SAME_SITE,
            data={**fields, "token": form_token((await client.get("/paste")).text),
                  "requirements": "--extra-index-url http://evil"},
        )  # fmt: skip
    assert cross_site.status_code == 403
    assert forged.status_code == 400 and "This form expired; send it again." in forged.text
    assert (
        bad_field.status_code == 400
        and "options, URLs and paths are not accepted" in bad_field.text
    )
    assert CODE.splitlines()[0] in bad_field.text  # what was pasted is not lost
    with session_scope(db_engine) as db:
        assert db.query(FixSession).count() == 0


@pytest.mark.timeout(120)
async def test_a_session_that_cannot_reach_docker_ends_saying_so(
    local_settings: Settings, db_engine: Engine
) -> None:
    settings = local_settings.model_copy(update={"docker_host": "tcp://127.0.0.1:9"})
    async with serve(settings) as client:
        token = form_token((await client.get("/paste")).text)
        fields = {"code": CODE, "reproduction": TEST, "module": "snippet.py", "token": token}
        started = await client.post("/paste", data=fields, headers=SAME_SITE)
        assert started.status_code == 303
        location = started.headers["location"]
        session_id = location.rsplit("/", 1)[1]
        at_once = await client.get(location)
        assert at_once.status_code == 200 and 'id="pasted"' in at_once.text
        for _ in range(200):
            with session_scope(db_engine) as db:
                status = db.get(FixSession, session_id).status  # type: ignore[union-attr]
            if status != "running":
                break
            await asyncio.sleep(0.3)
        page = (await client.get(location)).text
    assert status == "error"
    assert "The sandbox could not run" in page and "Docker" in page
    folder = Path(settings.state_dir) / "pastes" / session_id
    assert (folder / "snippet.py").read_text() == CODE and (
        folder / "test_reproduction.py"
    ).exists()

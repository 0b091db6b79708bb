"""The trace page: its timeline, the chain checked by this server, the judge's scores; a
tampered trace says where; other installations' traces are not found."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine

from bot.settings import Settings
from bot.traces.tokens import mint_token
from db.engine import session_scope
from db.traces import TraceRecord
from tests.fixtures.github import FakeGitHub
from tests.web.dashboard.app import INSTALLATION_A, INSTALLATION_B, log_in, serve

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "traces" / "example-trace.json"


async def sent_trace(client: httpx.AsyncClient, engine: Engine, installation: int) -> str:
    auth = {"Authorization": f"Bearer {mint_token(engine, installation)}"}
    document = json.loads(EXAMPLE.read_text())
    events = document.pop("events")
    trace_id = (await client.post("/v1/traces", json=document, headers=auth)).json()["trace_id"]
    chunk = await client.post(
        f"/v1/traces/{trace_id}/chunks", json={"events": events},
        headers={**auth, "Idempotency-Key": "k"},
    )  # fmt: skip
    assert chunk.status_code == 201, chunk.text
    done = await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth)
    assert done.status_code == 200, done.text
    return str(trace_id)


async def test_a_sealed_trace_shows_its_timeline_chain_and_scores(
    local_settings: Settings, db_engine: Engine
) -> None:
    async with serve(local_settings) as client:
        trace_id = await sent_trace(client, db_engine, 0)
        listing = (await client.get("/traces")).text
        page = (await client.get(f"/traces/{trace_id}")).text
        with session_scope(db_engine) as db:
            record = db.get(TraceRecord, trace_id)
            assert record is not None and record.document_json
            record.document_json = record.document_json.replace(
                "Maybe the ordering is wrong.", "Maybe the ordering is right."
            )
            db.add(record)
        tampered = (await client.get(f"/traces/{trace_id}")).text
    assert f'href="/traces/{trace_id}"' in listing
    assert "Intact: 14 events; checked the HMAC chain and the Ed25519 signature" in page
    assert page.count('<li class="ev-') == 14
    assert "Hypothesis:</span> Maybe the ordering is wrong." in page
    assert "/ 5</span>" in page and 'id="overall"' in page
    assert "Tampered: event seq 4" in tampered


async def test_another_installations_trace_is_not_found(
    github_settings: Settings, fake_github: FakeGitHub, db_engine: Engine
) -> None:
    fake_github.add_oauth_user("ada", installations=[INSTALLATION_A])
    async with serve(github_settings) as client:
        theirs = await sent_trace(client, db_engine, INSTALLATION_B)
        await log_in(client, fake_github, "ada")
        answer = await client.get(f"/traces/{theirs}")
        listing = (await client.get("/traces")).text
    assert answer.status_code == 404 and "Trace not found" in answer.text
    assert theirs not in listing

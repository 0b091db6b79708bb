"""The /v1 trace API: auth, idempotent chunks, seq errors, size limits, finalize, read, export."""

from __future__ import annotations

import json

import httpx
from sqlalchemy.engine import Engine

from bot.traces.integrity import verify_document
from bot.traces.signing import parse_public_key
from bot.traces.tokens import mint_token, revoke_token
from tests.web.api.conftest import CHUNK_LIMIT, event, header


async def _create(
    client: httpx.AsyncClient, auth: dict[str, str], repo: str = "acme/widgets"
) -> str:
    answer = await client.post("/v1/traces", json=header(repo), headers=auth)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["trace_id"])


async def _chunk(client, auth, trace_id, events, key=None):
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        f"/v1/traces/{trace_id}/chunks", json={"events": events}, headers=headers
    )


async def test_missing_bad_and_revoked_tokens_get_401(client: httpx.AsyncClient, db_engine: Engine):
    assert (await client.post("/v1/traces", json=header())).status_code == 401
    bad = await client.post("/v1/traces", json=header(), headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["error"] == "unauthorized"
    assert bad.headers["www-authenticate"].startswith("Bearer")
    token = mint_token(db_engine, 1)
    assert revoke_token(db_engine, token)
    revoked = await client.get("/v1/traces", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401 and "revoked" in revoked.json()["message"]


async def test_tokens_are_stored_hashed(db_engine: Engine, token: str):
    from sqlmodel import Session, select

    from db.traces import ApiToken

    with Session(db_engine) as session:
        stored = session.exec(select(ApiToken)).all()
    assert stored and all(token not in row.token_hash for row in stored)


async def test_traces_without_consent_are_refused(client: httpx.AsyncClient, auth):
    answer = await client.post("/v1/traces", json=header(consent=False), headers=auth)
    assert answer.status_code == 422 and answer.json()["error"] == "consent_required"


async def test_chunk_retry_with_the_same_idempotency_key_is_a_replay(
    client: httpx.AsyncClient, auth
):
    trace_id = await _create(client, auth)
    first = await _chunk(client, auth, trace_id, [event(0), event(1)], key="k1")
    assert first.status_code == 201
    assert first.json() | {"replayed": True} == {
        "trace_id": trace_id, "accepted": 2, "first_seq": 0, "last_seq": 1, "next_seq": 2,
        "redactions": 0, "replayed": True,
    }  # fmt: skip
    again = await _chunk(client, auth, trace_id, [event(0), event(1)], key="k1")
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["next_seq"] == 2
    conflict = await _chunk(client, auth, trace_id, [event(2)], key="k1")
    assert conflict.status_code == 422 and conflict.json()["error"] == "idempotency_conflict"


async def test_seq_gaps_and_duplicates_are_answered_clearly(client: httpx.AsyncClient, auth):
    trace_id = await _create(client, auth)
    assert (await _chunk(client, auth, trace_id, [event(0), event(1)])).status_code == 201
    gap = await _chunk(client, auth, trace_id, [event(4)])
    assert gap.status_code == 409 and gap.json()["error"] == "seq_gap"
    assert "expected seq 2, got 4" in gap.json()["message"]
    duplicate = await _chunk(client, auth, trace_id, [event(1), event(2)])
    assert duplicate.status_code == 409 and duplicate.json()["error"] == "duplicate_seq"
    inner = await _chunk(client, auth, trace_id, [event(2), event(4)])
    assert inner.status_code == 422 and "position 1" in inner.json()["message"]
    assert (await _chunk(client, auth, trace_id, [event(2)])).json()["next_seq"] == 3


async def test_invalid_events_name_their_seq(client: httpx.AsyncClient, auth):
    trace_id = await _create(client, auth)
    bad = await _chunk(client, auth, trace_id, [event(0, type="keystroke", key="a")])
    assert bad.status_code == 422 and "event seq 0" in bad.json()["message"]


async def test_oversized_chunks_get_413(client: httpx.AsyncClient, auth):
    trace_id = await _create(client, auth)
    big = event(0, type="cmd_run", cmd="x" * (CHUNK_LIMIT + 10), exit_code=0)
    answer = await _chunk(client, auth, trace_id, [big])
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    many = [{"seq": i, "ts_client": 0, "type": "cmd_run", "cmd": "", "exit_code": 0}
            for i in range(1001)]  # fmt: skip
    body = json.dumps({"events": many}, separators=(",", ":")).encode()
    assert len(body) < CHUNK_LIMIT  # refused for the count, not the bytes
    too_many = await client.post(f"/v1/traces/{trace_id}/chunks", headers=auth, content=body)
    assert too_many.status_code == 413 and "at most 1000" in too_many.json()["message"]
    assert (await _chunk(client, auth, trace_id, [event(0)])).status_code == 201


async def test_other_installations_cannot_see_or_write_a_trace(client, auth, db_engine):
    trace_id = await _create(client, auth)
    stranger = {"Authorization": f"Bearer {mint_token(db_engine, 999)}"}
    assert (await client.get(f"/v1/traces/{trace_id}", headers=stranger)).status_code == 404
    assert (await _chunk(client, stranger, trace_id, [event(0)])).status_code == 404
    assert (await client.get("/v1/traces", headers=stranger)).json()["traces"] == []


async def test_finalize_seals_redacts_and_verifies_with_the_published_key(client, auth):
    trace_id = await _create(client, auth)
    leak = event(1, type="cmd_run", cmd="deploy --token ghp_" + "a" * 36, exit_code=0)
    await _chunk(client, auth, trace_id, [event(0), leak])
    finalized = await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth)
    assert finalized.status_code == 200, finalized.text
    document = finalized.json()
    assert "ghp_" not in finalized.text and document["metrics"]["redactions"] == 1
    assert [e["seq"] for e in document["events"]] == [0, 1]
    assert all(e["ts_server"] >= 1_700_000_000 for e in document["events"])
    assert document["qa"]["validation"]["status"] == "skipped"
    assert "repo.snapshot" in document["qa"]["validation"]["reason"]
    assert document["qa"]["judge"]["model"] == "builtin"
    keys = (await client.get("/v1/keys")).json()["keys"]
    public_key = parse_public_key(keys[0]["public_key"])
    stored = await client.get(f"/v1/traces/{trace_id}", headers=auth)
    assert stored.content == finalized.content
    assert verify_document(stored.json(), public_key=public_key).ok
    assert verify_document(stored.json(), secret=b"api-secret").ok
    again = await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth)
    assert again.json()["integrity"] == document["integrity"]
    late = await _chunk(client, auth, trace_id, [event(2)])
    assert late.status_code == 409 and late.json()["error"] == "finalized"


async def test_finalize_without_events_is_refused(client, auth):
    trace_id = await _create(client, auth)
    answer = await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth)
    assert answer.status_code == 409 and answer.json()["error"] == "no_events"


async def test_list_filters_by_repo_and_status(client, auth):
    open_id = await _create(client, auth, "acme/one")
    done_id = await _create(client, auth, "acme/two")
    await _chunk(client, auth, done_id, [event(0)])
    await client.post(f"/v1/traces/{done_id}/finalize", headers=auth)
    listed = (await client.get("/v1/traces", headers=auth)).json()["traces"]
    assert {t["trace_id"] for t in listed} == {open_id, done_id}
    by_repo = (await client.get("/v1/traces", params={"repo": "acme/one"}, headers=auth)).json()
    assert [t["trace_id"] for t in by_repo["traces"]] == [open_id]
    by_status = (
        await client.get("/v1/traces", params={"status": "finalized"}, headers=auth)
    ).json()
    assert [t["trace_id"] for t in by_status["traces"]] == [done_id]
    assert by_status["traces"][0]["chain_head"]


async def test_export_jsonl_lines_are_the_sealed_events(client, auth):
    trace_id = await _create(client, auth)
    await _chunk(client, auth, trace_id, [event(0), event(1), event(2)])
    sealed = (await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth)).json()
    export = await client.get(
        f"/v1/traces/{trace_id}/export", params={"format": "jsonl"}, headers=auth
    )
    assert export.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert lines[0]["record"] == "trace" and lines[0]["integrity"] == sealed["integrity"]
    assert lines[1:] == sealed["events"]
    rebuilt = {k: v for k, v in lines[0].items() if k != "record"} | {"events": lines[1:]}
    assert verify_document(rebuilt, secret=b"api-secret").ok
    bad = await client.get(f"/v1/traces/{trace_id}/export", params={"format": "csv"}, headers=auth)
    assert bad.status_code == 400


async def test_export_of_an_open_trace_is_refused(client, auth):
    trace_id = await _create(client, auth)
    answer = await client.get(f"/v1/traces/{trace_id}/export", headers=auth)
    assert answer.status_code == 409 and answer.json()["error"] == "not_finalized"


async def test_openapi_documents_every_route_and_its_refs_resolve(client):
    document = (await client.get("/openapi.json")).json()
    assert set(document["paths"]) >= {
        "/v1/traces", "/v1/traces/{trace_id}", "/v1/traces/{trace_id}/chunks",
        "/v1/traces/{trace_id}/finalize", "/v1/traces/{trace_id}/export", "/v1/keys",
    }  # fmt: skip
    text = json.dumps(document)
    schemas = document["components"]["schemas"]
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        assert ref.removeprefix("#/components/schemas/") in schemas, ref

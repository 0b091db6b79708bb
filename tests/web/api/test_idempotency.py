"""Idempotent chunk uploads: concurrent retries of one chunk store it once and replay the rest,
and the key is bound to the chunk's canonical JSON, not to how its bytes were serialized."""

from __future__ import annotations

import asyncio
import json

import httpx

from bot.traces.ingest import request_digest
from tests.web.api.conftest import event, header

RETRIES = 8


async def _trace(client: httpx.AsyncClient, auth: dict[str, str]) -> str:
    created = await client.post("/v1/traces", json=header(), headers=auth)
    assert created.status_code == 201, created.text
    return str(created.json()["trace_id"])


async def test_concurrent_retries_of_one_chunk_are_one_201_and_replays(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    trace_id = await _trace(client, auth)
    body = json.dumps({"events": [event(0), event(1), event(2)]})
    headers = {**auth, "Idempotency-Key": "same-chunk", "Content-Type": "application/json"}

    answers = await asyncio.gather(
        *(
            client.post(f"/v1/traces/{trace_id}/chunks", content=body, headers=headers)
            for _ in range(RETRIES)
        )
    )

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * (RETRIES - 1) + [201], [a.text for a in answers]
    assert {a.json()["first_seq"] for a in answers} == {0}
    assert {a.json()["next_seq"] for a in answers} == {3}
    assert sum(a.json()["replayed"] for a in answers) == RETRIES - 1
    listed = await client.get(f"/v1/traces/{trace_id}", headers=auth)
    assert listed.json()["next_seq"] == 3, listed.text  # stored once, not eight times


async def test_a_retry_serialized_differently_is_the_same_request(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    trace_id = await _trace(client, auth)
    events = [event(0, type="cmd_run", cmd="pytest", exit_code=1)]
    compact = json.dumps({"events": events}, separators=(",", ":"))
    spaced = json.dumps({"events": [dict(reversed(e.items())) for e in events]}, indent=2)
    headers = {**auth, "Idempotency-Key": "k", "Content-Type": "application/json"}
    url = f"/v1/traces/{trace_id}/chunks"

    first = await client.post(url, content=compact, headers=headers)
    again = await client.post(url, content=spaced, headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True


def test_the_digest_is_over_canonical_json() -> None:
    assert request_digest(b'{"b": 1, "a": [1, 2]}') == request_digest(b'{"a":[1,2],"b":1}')
    assert request_digest(b'{"a": 1}') != request_digest(b'{"a": 2}')
    assert request_digest(b"not json") == request_digest(b"not json")

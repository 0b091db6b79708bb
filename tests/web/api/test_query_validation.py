"""Every query, path and header value of the /v1 API is checked before any SQL runs: the same
400 naming the value on SQLite and PostgreSQL, never a driver error or a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.web.api.conftest import header

BAD_QUERIES = [
    ("/v1/sessions?since=2024-13-01", "since"),
    ("/v1/sessions?since=0001-01-01", "since"),
    ("/v1/sessions?until=10000-01-01", "until"),
    ("/v1/sessions?since=2024-05-02&until=2024-05-01", "swap"),
    ("/v1/sessions?since=2024-1-1", "since"),
    ("/v1/sessions?page=100000000000000000000000000000", "page"),
    ("/v1/sessions?page=%EF%BC%91", "page"),  # a full-width digit: int() would accept it
    ("/v1/sessions?per_page=0", "per_page"),
    ("/v1/sessions?repository=acme%00widgets", "repository"),
    ("/v1/sessions?error_type=%00", "error_type"),
    ("/v1/sessions?repository=" + "r" * 201, "repository"),
    ("/v1/sessions?status=bogus", "status"),
    ("/v1/traces?limit=99999999999999999999", "limit"),
    ("/v1/traces?limit=0", "limit"),
    ("/v1/traces?offset=-1", "offset"),
    ("/v1/traces?offset=abc", "offset"),
    ("/v1/traces?repo=a%00b", "repo"),
    ("/v1/traces?status=sealed", "status"),
    ("/v1/traces/abc%00def", "NUL"),
    ("/v1/traces/" + "t" * 129, "trace_id"),
    ("/v1/sessions/s%00", "NUL"),
    ("/v1/sessions/" + "s" * 129, "session_id"),
    ("/v1/sessions/s1/proofs/baseline?format=pdf", "format"),
    ("/v1/traces/t1/export?format=csv", "format"),
    ("/v1/traces?limt=5", "limt"),  # a misspelt filter must not silently list everything
    ("/v1/sessions?pagee=2", "pagee"),
    ("/v1/sessions/s1?x=1", "'x'"),
    ("/v1/sessions?page=", "page"),
]


@pytest.mark.parametrize(("url", "named"), BAD_QUERIES, ids=[u for u, _ in BAD_QUERIES])
async def test_malformed_values_are_400_naming_them(
    client: httpx.AsyncClient, auth: dict[str, str], url: str, named: str
) -> None:
    answer = await client.get(url, headers=auth)
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["message"]


async def test_values_at_the_edges_of_their_ranges_are_served(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    for url in (
        "/v1/sessions?since=1970-01-01&until=9999-12-31&page=100000&per_page=100",
        "/v1/sessions?repository=" + "r" * 200,
        "/v1/traces?limit=200&offset=1000000&status=open",
    ):
        answer = await client.get(url, headers=auth)
        assert answer.status_code == 200, (url, answer.text)


async def test_a_malformed_idempotency_key_is_400(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    created = await client.post("/v1/traces", json=header(), headers=auth)
    trace_id = created.json()["trace_id"]
    for key in (b"k" * 201, b"with space", "é".encode()):
        answer = await client.post(
            f"/v1/traces/{trace_id}/chunks",
            json={"events": [{"seq": 0, "ts_client": 1.0, "type": "note", "text": "x"}]},
            headers=[
                *((k.encode(), v.encode()) for k, v in auth.items()),
                (b"Idempotency-Key", key),
            ],
        )
        assert answer.status_code == 400, answer.text
        assert "Idempotency-Key" in answer.json()["message"]

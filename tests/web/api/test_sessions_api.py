"""GET /v1/sessions…: bearer tokens scoped to one installation; another's sessions are a 404."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine

from db.queries import proof_sha256
from tests.web.api.conftest import INSTALLATION
from tests.web.dashboard.seed import WINNER_DIFF, seed_session

OTHER = INSTALLATION + 1


async def test_no_token_is_401_with_a_challenge(client: httpx.AsyncClient) -> None:
    for path in ("/v1/sessions", "/v1/sessions/x", "/v1/sessions/x/proofs/cand-1"):
        answer = await client.get(path)
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"].startswith("Bearer")
    bad = await client.get("/v1/sessions", headers={"Authorization": "Bearer tet_nope"})
    assert bad.status_code == 401 and "unknown or revoked" in bad.json()["message"]


async def test_list_is_scoped_filtered_and_paged(
    client: httpx.AsyncClient, auth: dict[str, str], db_engine: Engine
) -> None:
    mine = [
        seed_session(db_engine, installation_id=INSTALLATION, error_type=kind)
        for kind in ("IndexError", "KeyError", "IndexError")
    ]
    seed_session(db_engine, installation_id=OTHER, error_type="IndexError")
    seed_session(db_engine, installation_id=None, repository=None, error_type="IndexError")

    everything = (await client.get("/v1/sessions", headers=auth)).json()
    assert {s["id"] for s in everything["sessions"]} == {m.session_id for m in mine}
    assert everything["next_page"] is None

    index_errors = await client.get(
        "/v1/sessions", params={"error_type": "IndexError", "per_page": 1}, headers=auth
    )
    first = index_errors.json()
    assert len(first["sessions"]) == 1 and first["next_page"] == 2
    second = (
        await client.get(
            "/v1/sessions",
            params={"error_type": "IndexError", "per_page": 1, "page": 2},
            headers=auth,
        )
    ).json()
    seen = {first["sessions"][0]["id"], second["sessions"][0]["id"]}
    assert seen == {mine[0].session_id, mine[2].session_id} and second["next_page"] is None

    refused = await client.get("/v1/sessions", params={"since": "May 1"}, headers=auth)
    assert refused.status_code == 400 and "YYYY-MM-DD" in refused.json()["message"]


async def test_detail_and_proof_for_own_sessions_404_for_others(
    client: httpx.AsyncClient, auth: dict[str, str], db_engine: Engine
) -> None:
    mine = seed_session(db_engine, installation_id=INSTALLATION)
    theirs = seed_session(db_engine, installation_id=OTHER)

    detail = (await client.get(f"/v1/sessions/{mine.session_id}", headers=auth)).json()
    assert detail["status"] == "verified" and detail["winner_candidate_id"] == "cand-1"
    assert [c["id"] for c in detail["candidates"]] == ["cand-1", "cand-2"]
    assert detail["candidates"][0]["diff"] == WINNER_DIFF
    assert [line["message"] for line in detail["console"]] == [
        "Analyzing failure…",
        "Reproducing in sandbox…",
    ]

    proof = await client.get(f"/v1/sessions/{mine.session_id}/proofs/cand-1", headers=auth)
    assert proof.status_code == 200
    assert proof_sha256(proof.json()) == proof.headers["x-proof-sha256"]
    assert detail["proofs"] == [{"candidate": "cand-1", "sha256": proof.headers["x-proof-sha256"]}]
    text = await client.get(
        f"/v1/sessions/{mine.session_id}/proofs/cand-1", params={"format": "txt"}, headers=auth
    )
    assert text.text.startswith("Truth Engine proof — verdict: verified")
    missing = await client.get(f"/v1/sessions/{mine.session_id}/proofs/cand-2", headers=auth)
    assert missing.status_code == 404 and "cand-1" in missing.json()["message"]

    for path in (
        f"/v1/sessions/{theirs.session_id}",
        f"/v1/sessions/{theirs.session_id}/proofs/cand-1",
    ):
        answer = await client.get(path, headers=auth)
        assert answer.status_code == 404
        assert (
            answer.json() == (await client.get("/v1/sessions/nosuchsession", headers=auth)).json()
        )


async def test_sessions_are_documented_in_openapi(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert "401" in paths["/v1/sessions"]["get"]["responses"]
    for path in ("/v1/sessions/{session_id}", "/v1/sessions/{session_id}/proofs/{candidate}"):
        assert {"200", "401", "404"} <= set(paths[path]["get"]["responses"])
    names = {p["name"] for p in paths["/v1/sessions"]["get"]["parameters"]}
    assert {"error_type", "repository", "status", "since", "until", "page", "per_page"} == names

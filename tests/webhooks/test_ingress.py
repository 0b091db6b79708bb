"""The real ASGI app with a real Redis, fed the real payloads GitHub sends, signed or forged."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from tests.fixtures.app import WEBHOOK_SECRET as SECRET
from tests.fixtures.app import app_settings as make_settings
from tests.fixtures.app import failing_check_run, queued_job_ids, serve
from tests.fixtures.github import WEBHOOKS_DIR, load_payload, signed_delivery
from tests.fixtures.github import deliver as post_delivery
from web.app import create_app

pytestmark = pytest.mark.services

REPO = "Codertocat/Hello-World"
HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"


@pytest.fixture
async def client(tmp_path: Path, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(make_settings(tmp_path, redis_url), base_url="http://test") as c:
        yield c


async def post(
    client: httpx.AsyncClient,
    event: str,
    payload: dict[str, Any],
    delivery: str | None = None,
    secret: str = SECRET,
) -> httpx.Response:
    return await post_delivery(client, event, payload, secret, delivery)


async def test_failing_check_run_queues_one_fix_job(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    response = await post(client, "check_run", failing_check_run(), delivery="d-1")
    assert response.status_code == 202
    job_id = f"fix:{REPO}:{HEAD}"  # one session per head commit, whichever check failed
    assert response.json() == {
        "status": "queued",
        "delivery": "d-1",
        "jobs": [job_id],
        "duplicates": [],
    }
    assert queued_job_ids(store) == [job_id]


async def test_redelivery_and_second_delivery_of_same_failure_make_one_job(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    first = await post(client, "check_run", failing_check_run(), delivery="d-1")
    again = await post(client, "check_run", failing_check_run(), delivery="d-1")
    other = await post(client, "check_run", failing_check_run(), delivery="d-2")
    assert first.json()["status"] == "queued"
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    assert (other.status_code, other.json()["status"]) == (202, "duplicate")
    assert len(queued_job_ids(store)) == 1


async def test_actions_jobs_and_their_workflow_failing_on_one_commit_make_one_job(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    job = failing_check_run()
    job["check_run"]["app"].update(slug="github-actions")
    other_job = failing_check_run()
    other_job["check_run"].update(id=7, name="lint")
    other_job["check_run"]["app"].update(slug="github-actions")
    workflow = load_payload("workflow_run", "completed.with-pull-requests.payload.json")
    workflow.update(repository=job["repository"], installation={"id": 42})
    workflow["workflow_run"].update(conclusion="failure", head_sha=HEAD)

    answers = [
        await post(client, "check_run", job, delivery="j-1"),
        await post(client, "check_run", other_job, delivery="j-2"),
        await post(client, "workflow_run", workflow, delivery="w-1"),
    ]

    assert [a.json()["status"] for a in answers] == ["queued", "duplicate", "duplicate"]
    assert queued_job_ids(store) == [f"fix:{REPO}:{HEAD}"]


async def test_forged_or_missing_signature_is_401_and_queues_nothing(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    forged = await post(client, "check_run", failing_check_run(), secret="attacker")
    body, headers = signed_delivery("check_run", failing_check_run(), SECRET)
    del headers["X-Hub-Signature-256"]
    missing = await client.post("/webhooks/github", content=body, headers=headers)
    assert forged.status_code == 401 and missing.status_code == 401
    assert "TRUTH_GITHUB_WEBHOOK_SECRET" in forged.json()["message"]
    assert store.dbsize() == 0


async def test_malformed_json_is_400(client: httpx.AsyncClient, store: redis.Redis) -> None:
    body = b'{"action": "completed",'
    _, headers = signed_delivery("check_run", {}, SECRET)
    from webhooks.signature import expected_signature

    headers["X-Hub-Signature-256"] = expected_signature(body, SECRET)
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 400 and "JSON" in response.json()["message"]
    assert store.dbsize() == 0


async def test_body_over_the_limit_is_413(client: httpx.AsyncClient, store: redis.Redis) -> None:
    body, headers = signed_delivery("check_run", failing_check_run(), SECRET)
    headers["Content-Length"] = str(30 * 1024 * 1024)
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 413
    assert store.dbsize() == 0


async def test_unknown_event_and_passing_check_are_logged_no_ops(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    unknown = await post(client, "star", {"action": "created"})
    passing = failing_check_run()
    passing["check_run"]["conclusion"] = "success"
    green = await post(client, "check_run", passing)
    assert (unknown.status_code, unknown.json()["status"]) == (202, "ignored")
    assert "no handler for star.created" in unknown.json()["reason"]
    assert (green.status_code, green.json()["status"]) == (202, "ignored")
    assert "not a failure" in green.json()["reason"]
    assert store.dbsize() == 0


async def test_ping_is_answered(client: httpx.AsyncClient) -> None:
    response = await post(client, "ping", load_payload("ping", "payload.json"))
    assert response.status_code == 202 and response.json()["reason"].startswith("pong")


async def test_comment_command_queues_a_command_job(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    payload = load_payload("issue_comment", "created.with-installation.payload.json")
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/x/y/pulls/1"}
    payload["comment"]["body"] = "/truth fix tests/test_a.py"
    response = await post(client, "issue_comment", payload)
    job_id = f"command:{REPO}:{payload['comment']['id']}"
    assert response.json()["jobs"] == [job_id]
    assert queued_job_ids(store) == [job_id]


async def test_redis_unreachable_is_503(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, "redis://127.0.0.1:1/0"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as c:
        response = await post(c, "check_run", failing_check_run())
    assert response.status_code == 503 and "redeliver" in response.json()["message"]


async def test_failed_enqueue_unmarks_the_delivery_so_redelivery_works(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    # A wrong-typed queue key makes Redis refuse the enqueue after the delivery was marked.
    store.set("arq:queue", "not a sorted set")
    failed = await post(client, "check_run", failing_check_run(), delivery="d-9")
    assert failed.status_code == 503
    assert store.exists("truth:delivery:d-9") == 0
    assert store.keys("arq:job:*") == []  # all or nothing: no job half-written either
    store.delete("arq:queue")
    redelivered = await post(client, "check_run", failing_check_run(), delivery="d-9")
    assert (redelivered.status_code, redelivered.json()["status"]) == (202, "queued")


def _every_recorded_payload() -> list[tuple[str, Path]]:
    return sorted((p.parent.name, p) for p in WEBHOOKS_DIR.glob("*/*.json"))


@pytest.mark.parametrize(
    ("event", "path"), _every_recorded_payload(), ids=lambda v: v if isinstance(v, str) else v.name
)
async def test_every_recorded_payload_is_accepted(
    client: httpx.AsyncClient, event: str, path: Path
) -> None:
    payload = json.loads(path.read_text())
    response = await post(client, event, copy.deepcopy(payload))
    assert response.status_code == 202
    assert response.json()["status"] in {"queued", "ignored"}


async def test_health_ready_and_metrics(client: httpx.AsyncClient) -> None:
    await post(client, "ping", load_payload("ping", "payload.json"))
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["redis"] == "ok"
    metrics = (await client.get("/metrics")).text
    assert 'truth_webhook_deliveries_total{event="ping",status="ignored"} 1.0' in metrics


async def test_readyz_names_what_is_down(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, "redis://127.0.0.1:1/0"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as c:
        ready = await c.get("/readyz")
    assert ready.status_code == 503
    assert "TRUTH_REDIS_URL" in ready.json()["redis"] and ready.json()["database"] == "ok"


async def test_pushes_to_an_open_pr_snapshot_its_trace_and_closing_seals_it(
    client: httpx.AsyncClient, store: redis.Redis
) -> None:
    pushed = load_payload("pull_request", "synchronize.payload.json")
    closed = load_payload("pull_request", "closed.payload.json")
    for payload in (pushed, closed):
        payload["installation"] = {"id": 42}
    repo, number = pushed["repository"]["full_name"], pushed["pull_request"]["number"]

    snapshot = await post(client, "pull_request", pushed, delivery="p-1")
    final = await post(client, "pull_request", closed, delivery="p-2")

    head = pushed["pull_request"]["head"]["sha"]
    assert snapshot.json()["jobs"] == [
        f"supersede:{repo}:{pushed['before']}:{head}",  # stops a session on the old head
        f"trace:{repo}:{number}:{head}:snapshot",
    ]
    closed_repo = closed["repository"]["full_name"]
    assert final.json()["jobs"] == [
        f"trace:{closed_repo}:{closed['pull_request']['number']}:"
        f"{closed['pull_request']['head']['sha']}:final"
    ]


@pytest.mark.parametrize(
    "header",
    [
        "sha256=" + "é" * 64,
        "sha256=" + "\u00ff" * 10,
        "sha1=" + "0" * 40,
        "sha256=" + "0" * 63,
        "sha256=" + "0" * 65,
        "",
    ],
)
async def test_any_malformed_signature_header_is_401(
    client: httpx.AsyncClient, store: redis.Redis, header: str
) -> None:
    body, headers = signed_delivery("check_run", failing_check_run(), SECRET)
    raw = [(k.encode(), v.encode()) for k, v in headers.items() if k != "X-Hub-Signature-256"]
    raw.append((b"X-Hub-Signature-256", header.encode("latin-1")))
    response = await client.post("/webhooks/github", content=body, headers=raw)
    assert response.status_code == 401
    assert "X-Hub-Signature-256" in response.json()["message"]
    assert store.dbsize() == 0


def test_every_routed_event_and_action_has_an_edge_model() -> None:
    from bot.routes import ROUTER
    from webhooks.events import MODELS

    assert set(ROUTER.routes) <= set(MODELS), set(ROUTER.routes) - set(MODELS)

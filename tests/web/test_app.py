"""The app's own endpoints: /healthz, /readyz with Redis and the database up or down, /metrics."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.fixtures.app import WEBHOOK_SECRET as SECRET
from tests.fixtures.app import app_settings as make_settings
from tests.fixtures.app import serve
from tests.fixtures.github import load_payload, signed_delivery

pytestmark = pytest.mark.services


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_healthz_answers_without_touching_any_service(tmp_path: Path) -> None:
    # Redis and the database are both unreachable: liveness must not depend on them.
    down = f"redis://127.0.0.1:{closed_port()}/0"
    async with serve(
        make_settings(tmp_path, down, database_url="postgresql+psycopg://x@127.0.0.1:1/x")
    ) as client:
        answer = await client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


async def test_readyz_is_ready_when_redis_and_the_database_answer(
    tmp_path: Path, redis_url: str
) -> None:
    async with serve(make_settings(tmp_path, redis_url)) as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "redis": "ok", "database": "ok"}


async def test_readyz_names_redis_when_it_is_down(tmp_path: Path) -> None:
    down = f"redis://127.0.0.1:{closed_port()}/0"
    async with serve(make_settings(tmp_path, down)) as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not ready" and body["database"] == "ok"
    assert body["redis"].startswith("unreachable (") and "check TRUTH_REDIS_URL" in body["redis"]


async def test_readyz_names_the_database_when_it_is_down(tmp_path: Path, redis_url: str) -> None:
    database = f"postgresql+psycopg://truth:pw@127.0.0.1:{closed_port()}/truth"
    async with serve(make_settings(tmp_path, redis_url, database_url=database)) as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not ready" and body["redis"] == "ok"
    assert body["database"].startswith("unreachable (")
    assert "check TRUTH_DATABASE_URL" in body["database"]
    assert "pw" not in answer.text  # the database password never leaks into the answer


async def test_metrics_count_deliveries_by_event_and_answer(tmp_path: Path, redis_url: str) -> None:
    failing = load_payload("check_run", "completed.payload.json")
    failing["check_run"]["conclusion"] = "failure"
    failing["installation"] = {"id": 42}
    async with serve(make_settings(tmp_path, redis_url)) as client:
        before = await client.get("/metrics")
        for event, payload, secret in [
            ("check_run", failing, SECRET),
            ("ping", load_payload("ping", "payload.json"), SECRET),
            ("ping", load_payload("ping", "payload.json"), "forged"),
            ("check_run", failing, SECRET),
        ]:
            body, headers = signed_delivery(event, payload, secret)
            await client.post("/webhooks/github", content=body, headers=headers)
        after = await client.get("/metrics")

    assert "truth_webhook_deliveries_total{" not in before.text
    assert after.headers["content-type"].startswith("text/plain")
    lines = set(after.text.splitlines())
    assert 'truth_webhook_deliveries_total{event="check_run",status="queued"} 1.0' in lines
    assert 'truth_webhook_deliveries_total{event="check_run",status="duplicate"} 1.0' in lines
    assert 'truth_webhook_deliveries_total{event="ping",status="ignored"} 1.0' in lines
    assert 'truth_webhook_deliveries_total{event="ping",status="unauthorized"} 1.0' in lines

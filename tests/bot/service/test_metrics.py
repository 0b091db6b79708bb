"""/metrics of both processes: deliveries, ingress latency, queue depth, jobs, verdicts, tokens."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
import redis

from bot.service.metrics import ARQ_QUEUE_KEY, WorkerMetrics, serve_worker_metrics
from tests.fixtures.app import WEBHOOK_SECRET as SECRET
from tests.fixtures.app import app_settings as make_settings
from tests.fixtures.app import serve
from tests.fixtures.github import load_payload, signed_delivery

pytestmark = pytest.mark.services


def _samples(text: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


async def test_web_metrics_have_latency_per_event_and_the_queue_depth(
    tmp_path: Path, redis_url: str
) -> None:
    failing = load_payload("check_run", "completed.payload.json")
    failing["check_run"]["conclusion"] = "failure"
    failing["installation"] = {"id": 42}
    async with serve(make_settings(tmp_path, redis_url)) as client:
        for event, payload in [
            ("check_run", failing),
            ("ping", load_payload("ping", "payload.json")),
        ]:
            body, headers = signed_delivery(event, payload, SECRET)
            answer = await client.post("/webhooks/github", content=body, headers=headers)
            assert answer.status_code < 300
        samples = _samples((await client.get("/metrics")).text)
    assert samples['truth_ingress_seconds_count{event="check_run"}'] == 1
    assert samples['truth_ingress_seconds_count{event="ping"}'] == 1
    assert 0 < samples['truth_ingress_seconds_sum{event="check_run"}'] < 5
    queued = redis.Redis.from_url(redis_url).zcard(ARQ_QUEUE_KEY)
    assert queued == 1  # the failing check run became one job
    assert samples["truth_queue_depth"] == queued


async def test_worker_metrics_count_jobs_by_outcome_and_time_them() -> None:
    metrics = WorkerMetrics()

    async def fix_job(ctx: dict[str, object], fail: bool) -> str:
        if fail:
            raise TimeoutError("model too slow")
        return "done"

    timed = metrics.timed(fix_job)
    assert timed.__name__ == "fix_job"  # arq registers jobs by function name
    assert await timed({}, False) == "done"
    with pytest.raises(TimeoutError):
        await timed({}, True)
    metrics.sandbox_run("verified")
    metrics.sandbox_run("verified")
    metrics.sandbox_run("regressed")
    metrics.model_usage("gpt-x", 1200, 300, 0.0125)
    metrics.model_usage("gpt-x", -1, 0, -1.0)  # nonsense from a provider never lowers a counter
    from prometheus_client import generate_latest

    samples = _samples(generate_latest(metrics.registry).decode())
    assert samples['truth_jobs_total{function="fix_job",outcome="ok"}'] == 1
    assert samples['truth_jobs_total{function="fix_job",outcome="TimeoutError"}'] == 1
    assert samples['truth_job_seconds_count{function="fix_job"}'] == 2
    assert samples['truth_sandbox_runs_total{verdict="verified"}'] == 2
    assert samples['truth_sandbox_runs_total{verdict="regressed"}'] == 1
    assert samples['truth_model_tokens_total{kind="prompt",model="gpt-x"}'] == 1200
    assert samples['truth_model_tokens_total{kind="completion",model="gpt-x"}'] == 300
    assert samples['truth_model_cost_usd_total{model="gpt-x"}'] == pytest.approx(0.0125)


async def test_worker_serves_metrics_over_http_with_the_live_queue_depth(redis_url: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    metrics = WorkerMetrics()
    metrics.sandbox_run("verified")
    server = serve_worker_metrics(metrics, port, redis_url, host="127.0.0.1")
    try:
        queue = redis.Redis.from_url(redis_url)
        queue.zadd(ARQ_QUEUE_KEY, {"job-a": 1, "job-b": 2})
        async with httpx.AsyncClient() as client:
            first = _samples((await client.get(f"http://127.0.0.1:{port}/metrics")).text)
            queue.zrem(ARQ_QUEUE_KEY, "job-a")
            await asyncio.sleep(0)
            second = _samples((await client.get(f"http://127.0.0.1:{port}/metrics")).text)
    finally:
        server.shutdown()
    assert first["truth_queue_depth"] == 2 and second["truth_queue_depth"] == 1
    assert first['truth_sandbox_runs_total{verdict="verified"}'] == 1

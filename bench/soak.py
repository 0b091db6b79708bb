"""Soak: a steady stream of signed deliveries to the real app while Redis restarts and a worker
is killed; prints accepted, lost (goal 0), jobs without a visible result (goal 0), p99 latency.

Usage: .venv/bin/python bench/soak.py [--seconds 40] [--rate 20] [--workers 2] [--drain 60]

Everything runs here on loopback: redis-server (append-only, fsync always) on a free port, the
real app (`truth serve`, its signature check, de-dup and enqueue), and arq workers. The workers
run a recording job under the names of the app's real jobs (the fix pipeline itself needs
GitHub and a model, which only the test suite fakes): it marks the job done in Redis, so the
soak measures what ingress, the queue and the workers' retry-after-death must guarantee.
A delivery answered with anything but 2xx is redelivered after a second, as GitHub's
redelivery would be; it counts as accepted when a 2xx finally comes. At a third of the run
Redis is restarted; at half of it one worker is SIGKILLed mid-job and a new one started.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.webhooks import free_port, wait_for  # noqa: E402  (wait_for: HTTP servers)
from tests.fixtures.github import load_payload, signed_delivery  # noqa: E402

SECRET = "soak-secret"
DONE_KEY = "soak:done"
JOB_SECONDS = 0.05
REDELIVER_AFTER_S = 1.0


def wait_for_tcp(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {port} after {seconds} s") from None
            time.sleep(0.05)


def start_redis(port: int, directory: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_tcp(port)
    return process


def start_app(port: int, redis_url: str, state: Path) -> subprocess.Popen[bytes]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **os.environ,
        "TRUTH_STATE_DIR": str(state),
        "TRUTH_DATABASE_URL": f"sqlite:///{state / 'truth.db'}",
        "TRUTH_REDIS_URL": redis_url,
        "TRUTH_GITHUB_APP_ID": "1",
        "TRUTH_GITHUB_PRIVATE_KEY": pem,
        "TRUTH_GITHUB_WEBHOOK_SECRET": SECRET,
        "TRUTH_TRACE_SECRET": uuid.uuid4().hex,
        "TRUTH_LOG_FORMAT": "json",
    }
    truth = str(Path(sys.executable).with_name("truth"))
    process = subprocess.Popen(
        [truth, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(state / "app.log", "wb"),  # noqa: SIM115 - lives as long as the app
    )
    wait_for(port)
    return process


def job_names() -> list[str]:
    """The names the app enqueues its jobs under (the recording job answers to each)."""
    from bot.worker.app import FUNCTIONS

    return [function.name for function in FUNCTIONS]


def run_worker(redis_url: str) -> None:
    """A worker process: arq with the recording job under every real job name."""
    from arq.connections import RedisSettings
    from arq.worker import Worker, func

    async def record(ctx: dict[str, Any], **kwargs: Any) -> str:
        await asyncio.sleep(JOB_SECONDS)
        await ctx["redis"].sadd(DONE_KEY, ctx["job_id"])
        return "recorded"

    worker = Worker(
        functions=[func(record, name=name) for name in job_names()],
        redis_settings=RedisSettings.from_dsn(redis_url),
        job_timeout=5,  # a killed worker's job is picked up again once this passes
        max_tries=50,
        retry_jobs=True,
        poll_delay=0.05,
        handle_signals=True,
    )
    worker.run()


def start_worker(redis_url: str, state: Path, number: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, __file__, "--as-worker", redis_url],
        stdout=subprocess.DEVNULL,
        stderr=open(state / f"worker-{number}.log", "wb"),
    )


def delivery(template: dict[str, Any], number: int) -> tuple[str, bytes, dict[str, str]]:
    """A new failing check run on a PR head of its own: (head sha, body, headers)."""
    payload = copy.deepcopy(template)
    head = uuid.uuid4().hex + uuid.uuid4().hex[:8]
    payload["check_run"]["id"] = 10_000_000 + number
    payload["check_run"]["head_sha"] = head
    payload["check_run"]["conclusion"] = "failure"
    payload["check_run"]["pull_requests"] = [
        {"number": 1 + number % 50, "head": {"sha": head}, "base": {"sha": "0" * 40}}
    ]
    payload["installation"] = {"id": 42}
    return (head, *signed_delivery("check_run", payload, SECRET))


async def send(
    client: httpx.AsyncClient,
    url: str,
    head: str,
    body: bytes,
    headers: dict[str, str],
    deadline: float,
) -> dict[str, Any]:
    """Deliver (and redeliver on non-2xx) until accepted or the deadline; first try's latency."""
    attempts, first_latency = 0, None
    while True:
        attempts += 1
        started = time.perf_counter()
        try:
            answer = await client.post(url, content=body, headers=headers)
            status, jobs = answer.status_code, answer.json().get("jobs", [])
        except (httpx.HTTPError, ValueError):
            status, jobs = 0, []
        latency = time.perf_counter() - started
        first_latency = latency if first_latency is None else first_latency
        if 200 <= status < 300:
            return {"accepted": True, "jobs": jobs, "latency": latency, "attempts": attempts,
                    "head": head}  # fmt: skip
        if time.monotonic() > deadline:
            return {"accepted": False, "jobs": [], "latency": first_latency, "attempts": attempts,
                    "head": head}  # fmt: skip
        await asyncio.sleep(REDELIVER_AFTER_S)


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    import redis.asyncio as aioredis

    state = Path(tempfile.mkdtemp(prefix="truth-soak-"))
    redis_port, app_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    redis_process = start_redis(redis_port, state)
    app = start_app(app_port, redis_url, state)
    workers = [start_worker(redis_url, state, n) for n in range(args.workers)]
    template = load_payload("check_run", "completed.payload.json")
    url = f"http://127.0.0.1:{app_port}/webhooks/github"
    results: list[asyncio.Task[dict[str, Any]]] = []
    events: list[str] = []
    processes = {"redis": redis_process}
    start = time.monotonic()

    async def chaos() -> None:
        """Meanwhile the load goes on: Redis down for `--redis-down` s, then a worker killed."""
        await asyncio.sleep(args.seconds / 3)
        processes["redis"].send_signal(signal.SIGTERM)
        await asyncio.to_thread(processes["redis"].wait, 30)
        events.append(f"{time.monotonic() - start:.1f}s redis stopped")
        await asyncio.sleep(args.redis_down)
        processes["redis"] = await asyncio.to_thread(start_redis, redis_port, state)
        events.append(f"{time.monotonic() - start:.1f}s redis back")
        await asyncio.sleep(max(0.0, args.seconds / 2 - (time.monotonic() - start)))
        workers[0].send_signal(signal.SIGKILL)
        events.append(f"{time.monotonic() - start:.1f}s worker 0 killed")
        workers.append(start_worker(redis_url, state, len(workers)))

    try:
        async with httpx.AsyncClient(timeout=10) as client:
            chaos_task = asyncio.create_task(chaos())
            number = 0
            while time.monotonic() - start < args.seconds:
                head, body, headers = delivery(template, number)
                number += 1
                deadline = time.monotonic() + args.drain
                task = asyncio.create_task(send(client, url, head, body, headers, deadline))
                results.append(task)
                await asyncio.sleep(1 / args.rate)
            outcomes = await asyncio.gather(*results)
            await chaos_task
        expected = {job for outcome in outcomes for job in outcome["jobs"]}
        heads = {outcome["head"] for outcome in outcomes if outcome["accepted"]}
        store = aioredis.from_url(redis_url)  # type: ignore[no-untyped-call]
        drain_until = time.monotonic() + args.drain
        done: set[str] = set()
        while time.monotonic() < drain_until:
            done = {m.decode() for m in await store.smembers(DONE_KEY)}
            if expected <= done and heads <= {p for job in done for p in job.split(":")}:
                break
            await asyncio.sleep(0.5)
        queued = await store.zcard("arq:queue")
        await store.aclose()
    finally:
        for process in [app, *workers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [app, *workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        processes["redis"].terminate()
        processes["redis"].wait(timeout=20)
    accepted = [o for o in outcomes if o["accepted"]]
    latencies = sorted(o["latency"] for o in outcomes)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    # Lost: an accepted delivery whose failure no finished job covers (job ids name the head
    # sha). A redelivery answered "already handled" carries no job id but is not lost if the
    # first try's job ran, which happens when Redis took the job and then died mid-answer.
    done_heads = {part for job in done for part in job.split(":")}
    lost = sum(1 for o in accepted if o["head"] not in done_heads)
    return {
        "deliveries": len(outcomes),
        "accepted": len(accepted),
        "redelivered": sum(1 for o in outcomes if o["attempts"] > 1),
        "never_accepted": len(outcomes) - len(accepted),
        "lost": lost,  # goal 0
        "jobs": len(expected),
        "jobs_without_visible_result": len(expected - done),  # goal 0
        "queue_left": queued,
        "p99_ingress_ms": round(p99 * 1000, 1),
        "events": events,
        "logs": str(state),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--rate", type=float, default=20.0, help="deliveries per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drain", type=float, default=60.0, help="seconds to wait for jobs")
    parser.add_argument("--redis-down", type=float, default=3.0, help="seconds Redis is stopped")
    parser.add_argument("--as-worker", metavar="REDIS_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.as_worker:
        run_worker(args.as_worker)
        return
    figures = asyncio.run(soak(args))
    lost_ratio = figures["lost"] / max(figures["accepted"], 1)
    print(
        f"accepted {figures['accepted']}/{figures['deliveries']}, lost {figures['lost']} "
        f"(ratio {lost_ratio:.4f}), jobs without visible result "
        f"{figures['jobs_without_visible_result']}/{figures['jobs']}, "
        f"p99 ingress {figures['p99_ingress_ms']} ms",
        file=sys.stderr,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

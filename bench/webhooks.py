"""Webhook ingress throughput: the real endpoint (signature, de-dup, enqueue into a real Redis)
against a bare Starlette handler answering 202, same payload and load, side by side.

Usage: .venv/bin/python bench/webhooks.py [--seconds 5] [--concurrency 32] [--redis-url URL]
Starts redis-server itself when --redis-url is not given. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECRET = "bench-secret"
PAYLOAD = Path("/work/shared/fixtures/github-webhooks/check_run/completed.payload.json")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(kind: str, port: int, redis_url: str, state_dir: str) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    if kind == "bare":

        async def accept(request: object) -> Response:
            await request.body()  # type: ignore[attr-defined]
            return Response(status_code=202)

        app = Starlette(routes=[Route("/webhooks/github", accept, methods=["POST"])])
    else:
        from bot.settings import Settings
        from web.app import create_app

        app = create_app(
            Settings(
                github_webhook_secret=SECRET,
                redis_url=redis_url,
                state_dir=Path(state_dir),
                github_app_id=1,
                github_private_key="unused",
            )
        )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def body_and_headers() -> tuple[bytes, dict[str, str]]:
    from webhooks.signature import expected_signature

    payload = json.loads(PAYLOAD.read_text())
    payload["check_run"]["conclusion"] = "failure"
    payload["installation"] = {"id": 1}
    body = json.dumps(payload).encode()
    return body, {
        "Content-Type": "application/json",
        "X-GitHub-Event": "check_run",
        "X-Hub-Signature-256": expected_signature(body, SECRET),
    }


async def load(url: str, seconds: float, concurrency: int) -> dict[str, float]:
    body, headers = body_and_headers()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:

        async def user() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                # A fresh delivery id each time: every request does the full de-dup + enqueue.
                sent = {**headers, "X-GitHub-Delivery": uuid.uuid4().hex}
                start = time.perf_counter()
                response = await client.post(url, content=body, headers=sent)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 202

        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": quantiles[49] * 1000,
        "p99_ms": quantiles[98] * 1000,
    }


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.2)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        redis_process = None
        redis_url = args.redis_url
        if redis_url is None:
            port = free_port()
            redis_process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--save", "", "--dir", workdir],
                stdout=subprocess.DEVNULL,
            )
            redis_url = f"redis://127.0.0.1:{port}/0"
            time.sleep(0.3)
        results = {}
        try:
            for kind in ("bare", "real"):
                port = free_port()
                server = multiprocessing.Process(
                    target=serve, args=(kind, port, redis_url, workdir)
                )
                server.start()
                try:
                    wait_for(port)
                    url = f"http://127.0.0.1:{port}/webhooks/github"
                    results[kind] = asyncio.run(load(url, args.seconds, args.concurrency))
                finally:
                    server.terminate()
                    server.join()
                r = results[kind]
                print(
                    f"{kind:5} {r['rps']:8.0f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                    f"p99 {r['p99_ms']:6.2f} ms  errors {r['errors']:.0f}"
                )
        finally:
            if redis_process is not None:
                redis_process.terminate()
                redis_process.wait()
    ratio = results["real"]["rps"] / results["bare"]["rps"]
    print(f"throughput ratio real/bare: {ratio:.2f} (aim >= 0.5)")
    print(
        json.dumps(
            {
                "bench": "webhooks",
                "seconds": args.seconds,
                "concurrency": args.concurrency,
                "bare": results["bare"],
                "real": results["real"],
                "ratio": round(ratio, 3),
            }
        )
    )


if __name__ == "__main__":
    main()

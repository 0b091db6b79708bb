"""Webhook ingress throughput: the real endpoint (signature, de-dup, enqueue into a real Redis)
against a bare Starlette handler answering 202, same payload and load, one after the other.

Usage: .venv/bin/python bench/webhooks.py [--seconds 5] [--connections 32] [--redis-url URL]
                                          [--generator auto|wrk|httpx]
The load comes from wrk (C, one thread, a Lua script that signs nothing but gives every request
its own X-GitHub-Delivery) when it is installed, so the generator does not eat the CPU the
servers need; otherwise from an httpx client in this process. Two loads are measured:
"unique" (every request a new delivery of the same failing check run: signature check, de-dup
mark, enqueue attempt; the job id is the natural key, so after the first one the enqueue finds
the job queued) and "redelivery" (one delivery id repeated: signature check and a de-dup hit).
Loopback only; starts redis-server itself when --redis-url is not given. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import socket
import statistics
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

SECRET = "bench-secret"
# Both servers run with exactly these options (uvicorn[standard]'s fast loop and parser).
UVICORN_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "log_level": "error",
    "access_log": False,
}
PAYLOAD = ROOT.parent / "shared/fixtures/github-webhooks/check_run/completed.payload.json"


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
        from pydantic import SecretStr

        from bot.settings import Settings
        from web.app import create_app

        app = create_app(
            Settings(
                github_webhook_secret=SecretStr(SECRET),
                redis_url=redis_url,
                state_dir=Path(state_dir),
                github_app_id=1,
                github_private_key=SecretStr("unused"),
            )
        )
    uvicorn.run(app, host="127.0.0.1", port=port, **UVICORN_OPTIONS)


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


async def load_httpx(url: str, seconds: float, concurrency: int, mode: str) -> dict[str, float]:
    body, headers = body_and_headers()
    latencies: list[float] = []
    errors = 0
    fixed = uuid.uuid4().hex
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:

        async def user() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                delivery = uuid.uuid4().hex if mode == "unique" else fixed
                sent = {**headers, "X-GitHub-Delivery": delivery}
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


WRK_SCRIPT = """
local file = assert(io.open("%(body)s", "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
%(headers)s
local mode = "%(mode)s"
local threads, counter, prefix = {}, 0, ""

function setup(thread)
  thread:set("prefix", "%(run)s-" .. #threads .. "-")
  table.insert(threads, thread)
end

function init(args)
  prefix = wrk.thread:get("prefix")
end

function request()
  counter = counter + 1
  if mode == "unique" then
    wrk.headers["X-GitHub-Delivery"] = prefix .. counter
  else
    wrk.headers["X-GitHub-Delivery"] = "%(run)s-redelivered"
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "errors": %%d, '
    .. '"p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def load_wrk(
    url: str, seconds: float, connections: int, mode: str, workdir: str
) -> dict[str, float]:
    body, headers = body_and_headers()
    body_path = Path(workdir) / "body.json"
    body_path.write_bytes(body)
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    script = Path(workdir) / f"post-{mode}.lua"
    script.write_text(
        WRK_SCRIPT
        % {"body": body_path, "headers": header_lines, "mode": mode, "run": uuid.uuid4().hex}
    )
    command = [
        "wrk", "--threads", "1", "--connections", str(connections),
        "--duration", f"{max(1, round(seconds))}s", "--timeout", "5s",
        "--script", str(script), url,
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    if finished.returncode != 0 or "WRKJSON " not in finished.stdout:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr.strip()}")
    line = next(x for x in finished.stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    return {
        "requests": raw["requests"],
        "errors": raw["errors"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
    }


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.2)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not start")


def measure(
    kind: str, mode: str, args: argparse.Namespace, redis_url: str, workdir: str, generator: str
) -> dict[str, float]:
    """Start one server alone, load it, stop it: the two servers never share the CPU."""
    port = free_port()
    server = multiprocessing.Process(target=serve, args=(kind, port, redis_url, workdir))
    server.start()
    try:
        wait_for(port)
        url = f"http://127.0.0.1:{port}/webhooks/github"
        if generator == "wrk":
            return load_wrk(url, args.seconds, args.connections, mode, workdir)
        return asyncio.run(load_httpx(url, args.seconds, args.connections, mode))
    finally:
        server.terminate()
        server.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", "--concurrency", type=int, default=32)
    parser.add_argument("--redis-url")
    parser.add_argument("--generator", choices=("auto", "wrk", "httpx"), default="auto")
    args = parser.parse_args()
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "httpx"
    elif generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk); use --generator httpx")
    print(f"load generator: {generator}, {args.connections} connections, {args.seconds:g} s each")
    print(f"both servers: uvicorn, one process, {UVICORN_OPTIONS}")
    with tempfile.TemporaryDirectory() as workdir:
        redis_process = None
        redis_url = args.redis_url
        if redis_url is None:
            port = free_port()
            redis_process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", workdir],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            redis_url = f"redis://127.0.0.1:{port}/0"
            time.sleep(0.3)
        results: dict[str, dict[str, Any]] = {}
        try:
            for mode in ("unique", "redelivery"):
                results[mode] = {}
                for kind in ("bare", "real"):
                    r = measure(kind, mode, args, redis_url, workdir, generator)
                    results[mode][kind] = {k: round(v, 3) for k, v in r.items()}
                    print(
                        f"{mode:10} {kind:5} {r['rps']:8.0f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                        f"p99 {r['p99_ms']:6.2f} ms  errors {r['errors']:.0f}"
                    )
                ratio = results[mode]["real"]["rps"] / results[mode]["bare"]["rps"]
                results[mode]["ratio"] = round(ratio, 3)
                print(f"{mode:10} throughput ratio real/bare: {ratio:.2f} (aim >= 0.5)")
        finally:
            if redis_process is not None:
                redis_process.terminate()
                redis_process.wait()
    print(
        json.dumps(
            {
                "bench": "webhooks",
                "generator": generator,
                "seconds": args.seconds,
                "connections": args.connections,
                "cores": os.cpu_count(),
                "uvicorn": UVICORN_OPTIONS,
                **results,
                "ratio": results["unique"]["ratio"],
            }
        )
    )


if __name__ == "__main__":
    main()

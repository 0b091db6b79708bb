"""Webhook server memory under many concurrent unsigned 25 MB uploads (loopback only, bounded).

Usage: uv run python bench/ingress_memory.py [--uploads 64] [--megabytes 25]

Starts `truth serve`'s app (uvicorn) in a subprocess, then sends `--uploads` bodies of
`--megabytes` MB at once, each with a well-formed but wrong X-Hub-Signature-256 (so the
server must read a body to the end to know it is forged), twice: with Content-Length, and
chunked without one (the server only learns the size while reading). Samples the server's
RSS every 10 ms and prints, per run, the answers and the peak RSS growth, and the ratio of
that growth to the bytes sent at once (what buffering every body in full would cost).
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = b"x" * 65536
FORGED = "sha256=" + "0" * 64
DEADLINE_S = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(port: int, state_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    import uvicorn
    from pydantic import SecretStr

    from bot.settings import Settings
    from web.app import create_app

    settings = Settings(  # type: ignore[call-arg]
        github_webhook_secret=SecretStr("bench-secret"),
        redis_url="redis://127.0.0.1:1/0",  # never reached: no forged body gets that far
        state_dir=Path(state_dir),
        github_app_id=1,
        github_private_key=SecretStr("unused"),
    )
    logging.getLogger("webhooks").setLevel(logging.ERROR)  # one warning per forged upload
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="error")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


class PeakSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, rss_bytes(pid), True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(0.01)


async def upload(port: int, size: int, chunked: bool) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    writer.write(
        (
            "POST /webhooks/github HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"X-GitHub-Event: check_run\r\nX-GitHub-Delivery: bench\r\n"
            f"X-Hub-Signature-256: {FORGED}\r\n{framing}\r\n\r\n"
        ).encode()
    )
    try:
        sent = 0
        while sent < size:
            part = CHUNK[: min(len(CHUNK), size - sent)]
            writer.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
            await writer.drain()
            sent += len(part)
        if chunked:
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (ConnectionResetError, BrokenPipeError):
        pass  # the server answered early (503/413) and closed: that is the point
    try:
        status_line = await asyncio.wait_for(reader.readline(), 30)
    except (ConnectionResetError, TimeoutError):
        status_line = b""
    writer.close()
    parts = status_line.split()
    return parts[1].decode() if len(parts) > 1 else "no answer"


async def wave(port: int, uploads: int, size: int, chunked: bool) -> Counter[str]:
    answers = await asyncio.wait_for(
        asyncio.gather(*(upload(port, size, chunked) for _ in range(uploads))), DEADLINE_S
    )
    return Counter(answers)


def wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=64)
    parser.add_argument("--megabytes", type=int, default=25)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--state-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.state_dir)
        return
    size = args.megabytes * 1024 * 1024
    port = free_port()
    results: dict[str, object] = {"uploads": args.uploads, "megabytes": args.megabytes}
    with tempfile.TemporaryDirectory(prefix="truth-bench-") as state_dir:
        command = [sys.executable, __file__, "--serve", str(port), "--state-dir", state_dir]
        process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_until_listening(port, process)
            time.sleep(0.5)
            for chunked in (False, True):
                baseline = rss_bytes(process.pid)
                sampler = PeakSampler(process.pid)
                sampler.start()
                started = time.perf_counter()
                answers = asyncio.run(wave(port, args.uploads, size, chunked))
                elapsed = time.perf_counter() - started
                sampler.running = False
                sampler.join()
                growth = sampler.peak - baseline
                name = "chunked" if chunked else "content_length"
                ratio = growth / (args.uploads * size)
                results[name] = {
                    "answers": dict(answers),
                    "baseline_rss_mb": round(baseline / 2**20, 1),
                    "peak_rss_mb": round(sampler.peak / 2**20, 1),
                    "growth_mb": round(growth / 2**20, 1),
                    "growth_vs_buffering_all": round(ratio, 4),
                    "seconds": round(elapsed, 1),
                }
                print(
                    f"{name}: answers {dict(answers)}; server RSS {baseline / 2**20:.0f} MB -> "
                    f"peak {sampler.peak / 2**20:.0f} MB (+{growth / 2**20:.0f} MB) for "
                    f"{args.uploads} x {args.megabytes} MB; growth / bytes in flight = "
                    f"{ratio:.4f}; {elapsed:.1f} s"
                )
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

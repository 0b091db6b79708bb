"""Benchmark trace reconstruction and ingestion; the last line printed is one JSON object.

    .venv/bin/python bench/traces.py [--commits 500] [--events 10000] [--chunk 500]

Reconstruction: a generated local history, rebuilt by `reconstruct_local` side by side with
the same `git log -p` invocation it parses (the floor). Aim: within 3x of git log -p.
Ingestion: events uploaded in chunks through the /v1 ASGI app onto SQLite, then finalized.
Aim: far below the seed's 100 ms per event.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from bot.settings import Settings  # noqa: E402
from bot.traces import gitlog  # noqa: E402
from bot.traces.local_source import reconstruct_local  # noqa: E402
from bot.traces.tokens import mint_token  # noqa: E402
from db.engine import init_db  # noqa: E402
from web.api import routes  # noqa: E402


def generate_history(repo: Path, commits: int) -> tuple[str, str]:
    """`commits` commits after a root commit, each touching 1-3 of 40 files, via fast-import."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    files = {f"pkg/module_{i:02d}.py": [f"def f{i}_{j}():\n    return {j}\n" for j in range(30)]
             for i in range(40)}  # fmt: skip
    stream = []

    def blob(text: str) -> bytes:
        data = text.encode()
        return b"data %d\n%s\n" % (len(data), data)

    for n in range(commits + 1):
        touched = (
            list(files) if n == 0 else [list(files)[(n * k) % 40] for k in (1, 7, 13)[: 1 + n % 3]]
        )
        message = (f"Fix case {n}\n\nObservation: case {n} failed because the value was off.\n"
                   f"Decision: return the adjusted value.\n")  # fmt: skip
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer Bench <bench@example.com> %d +0000\n" % (1_700_000_000 + n * 60))
        stream.append(blob(message)[:-1])
        for path in touched:
            lines = files[path]
            lines[n % len(lines)] = f"def changed_{n}():\n    return {n} + 1\n"
            stream.append(b"M 100644 inline " + path.encode() + b"\n" + blob("".join(lines)))
        stream.append(b"\n")
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=b"".join(stream),
                   check=True)  # fmt: skip
    base = subprocess.run(["git", "-C", str(repo), "rev-list", "--max-parents=0", "main"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    return base, "main"


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_of_interleaved(
    rounds: int, first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float]:
    """Best time of each, measured in alternation so a busy moment hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        times[0].append(_seconds(first))
        times[1].append(_seconds(second))
    return min(times[0]), min(times[1])


def bench_reconstruction(workdir: Path, commits: int) -> dict[str, float]:
    repo = workdir / "history"
    base, head = generate_history(repo, commits)
    git_log_p = ["git", "-C", str(repo), *gitlog.git_log_args(base, head)]
    floor, ours = best_of_interleaved(
        9,
        lambda: subprocess.run(git_log_p, capture_output=True, check=True),
        lambda: reconstruct_local(repo, base, head),
    )
    trace = reconstruct_local(repo, base, head)
    assert trace.metrics.num_commits == commits, trace.metrics.num_commits
    return {
        "commits": commits,
        "events": len(trace.events),
        "git_log_p_s": round(floor, 4),
        "reconstruct_s": round(ours, 4),
        "commits_per_s": round(commits / ours, 1),
        "ratio_to_git_log_p": round(ours / floor, 2),
    }


async def bench_ingestion(workdir: Path, events: int, chunk: int) -> dict[str, float]:
    settings = Settings(state_dir=workdir / "state", trace_secret="bench")  # type: ignore[arg-type]
    engine = init_db(f"sqlite:///{workdir / 'bench.db'}")
    token = mint_token(engine, 1)
    auth = {"Authorization": f"Bearer {token}"}
    app = Starlette(routes=routes(settings, engine=engine))
    transport = httpx.ASGITransport(app=app)
    payload = [
        {"seq": i, "ts_client": 1_700_000_000 + i, "type": "cmd_run",
         "cmd": f"python -m pytest tests/test_{i % 50}.py -q", "exit_code": i % 2}
        for i in range(events)
    ]  # fmt: skip
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        header = {"session": {"consent": True}, "repo": {"name": "bench/repo"}}
        trace_id = (await client.post("/v1/traces", json=header, headers=auth)).json()["trace_id"]
        start = time.perf_counter()
        for n, first in enumerate(range(0, events, chunk)):
            answer = await client.post(
                f"/v1/traces/{trace_id}/chunks", json={"events": payload[first : first + chunk]},
                headers={**auth, "Idempotency-Key": f"chunk-{n}"})  # fmt: skip
            answer.raise_for_status()
        upload = time.perf_counter() - start
        start = time.perf_counter()
        sealed = await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth)
        sealed.raise_for_status()
        finalize = time.perf_counter() - start
    engine.dispose()
    assert len(sealed.json()["events"]) == events
    return {
        "events": events,
        "chunk": chunk,
        "upload_s": round(upload, 3),
        "finalize_s": round(finalize, 3),
        "ms_per_event": round(upload * 1000 / events, 4),
        "ms_per_event_with_finalize": round((upload + finalize) * 1000 / events, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Trace reconstruction and ingestion benchmark")
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="truth-bench-") as tmp:
        reconstruction = bench_reconstruction(Path(tmp), args.commits)
        print(f"reconstruction: {reconstruction['commits']} commits in "
              f"{reconstruction['reconstruct_s']} s ({reconstruction['commits_per_s']} commits/s); "
              f"git log -p {reconstruction['git_log_p_s']} s; "
              f"ratio {reconstruction['ratio_to_git_log_p']}x (aim <= 3x)")  # fmt: skip
        ingestion = asyncio.run(bench_ingestion(Path(tmp), args.events, args.chunk))
        print(f"ingestion: {ingestion['events']} events in {ingestion['upload_s']} s = "
              f"{ingestion['ms_per_event']} ms/event (aim << 100); finalize "
              f"{ingestion['finalize_s']} s")  # fmt: skip
    print(json.dumps({"bench": "traces", "reconstruction": reconstruction,
                      "ingestion": ingestion}))  # fmt: skip


if __name__ == "__main__":
    main()

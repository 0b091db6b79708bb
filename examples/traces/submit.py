"""Submit the example trace to a running Truth Engine and print what QA found.

    python examples/traces/submit.py --url http://localhost:8000 --token tet_...

Steps: upload a tar.gz of examples/traces/repo (the tree at the fix's head) as an artifact,
create the trace referencing that snapshot, upload the events in chunks (each chunk with its own
Idempotency-Key, so a retry is safe), finalize, fetch the trace, print tests_passed and the
judge's scores. Exit 0 when the validation passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent


def snapshot_tar_gz(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                tar.add(path, arcname=str(path.relative_to(folder)))
    return buffer.getvalue()


def _checked(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        sys.exit(f"{response.request.method} {response.request.url} -> "
                 f"{response.status_code}: {response.text}")
    return response.json()


async def submit(
    client: httpx.AsyncClient,
    token: str,
    trace_file: Path = HERE / "example-trace.json",
    repo_dir: Path = HERE / "repo",
    chunk_size: int = 5,
) -> dict[str, Any]:
    """Create, upload, finalize and fetch; returns the stored trace."""
    auth = {"Authorization": f"Bearer {token}"}
    example = json.loads(trace_file.read_text())
    events = example.pop("events")
    run_id = uuid.uuid4().hex
    snapshot = _checked(await client.post(
        "/v1/artifacts", content=snapshot_tar_gz(repo_dir),
        headers={**auth, "Content-Type": "application/gzip"}))
    example["repo"]["snapshot"] = snapshot
    created = _checked(await client.post("/v1/traces", json=example, headers=auth))
    trace_id = created["trace_id"]
    for start in range(0, len(events), chunk_size):
        chunk = {"events": events[start : start + chunk_size]}
        key = f"{run_id}-{start}"
        _checked(await client.post(f"/v1/traces/{trace_id}/chunks", json=chunk,
                                   headers={**auth, "Idempotency-Key": key}))
    _checked(await client.post(f"/v1/traces/{trace_id}/finalize", headers=auth, timeout=600))
    return dict(_checked(await client.get(f"/v1/traces/{trace_id}", headers=auth)))


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8000")
    parser.add_argument("--token", required=True, help="a /v1 bearer token")
    parser.add_argument("--trace", type=Path, default=HERE / "example-trace.json")
    parser.add_argument("--repo", type=Path, default=HERE / "repo")
    args = parser.parse_args()
    async with httpx.AsyncClient(base_url=args.url, timeout=60) as client:
        trace = await submit(client, args.token, args.trace, args.repo)
    validation, judge = trace["qa"]["validation"], trace["qa"]["judge"]
    print(f"trace_id: {trace['trace_id']}")
    print(f"events: {len(trace['events'])}")
    print(f"tests_passed: {json.dumps(validation['tests_passed'])} ({validation['reason']})")
    print(f"judge ({judge['model']}): {json.dumps(judge['scores'])}")
    print(f"chain head: {trace['integrity']['event_hash_chain']}")
    return 0 if validation["tests_passed"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

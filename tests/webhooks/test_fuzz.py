"""Seeded fuzzing of the real app (real Redis): every recorded payload with fields retyped or
removed in turn, correctly signed; no answer may be a 5xx and no job may carry wrong types."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from arq.jobs import deserialize_job
from pydantic import SecretStr

from tests.fixtures.app import app_settings, serve
from tests.fixtures.github import WEBHOOKS_DIR, signed_delivery
from webhooks.events import MODELS, route_key
from webhooks.signature import expected_signature

pytestmark = pytest.mark.services

SECRET = "fuzz-secret"
SEED = 20261129
# Values of every JSON type; a field is retyped to one whose type differs from its own.
REPLACEMENTS: list[Any] = [
    None, True, 0, -1, 2**63, 1.5, "", "x", "7", "\u0000", [], [1], {}, {"id": 1}
]  # fmt: skip
# Every field of a payload the app routes is mutated; payloads no route reads (unrouted
# event or action) only get their action and a seeded sample, to bound the run (< 1 minute).
UNROUTED_SAMPLE = 15
Path_ = tuple[str | int, ...]


def _type_name(value: Any) -> str:
    return "int" if isinstance(value, int) and not isinstance(value, bool) else type(value).__name__


def field_paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every key and list element (first two of a list), depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from field_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:2]):
            yield (*prefix, index)
            yield from field_paths(value, (*prefix, index))


def _parent(payload: Any, path: Path_) -> Any:
    for part in path[:-1]:
        payload = payload[part]
    return payload


def mutated(payload: dict[str, Any], path: Path_, replacement: Any) -> dict[str, Any]:
    """A copy with the field at `path` removed (replacement is `...`) or replaced."""
    copied = copy.deepcopy(payload)
    parent = _parent(copied, path)
    if replacement is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return copied


def body_with(payload: dict[str, Any], path: Path_, replacement: Any) -> bytes:
    """The JSON of `payload` with one field removed or replaced, without copying the payload:
    the field is changed in place, serialized, and put back (25k mutations, ~1 minute)."""
    parent = _parent(payload, path)
    key = path[-1]
    original = parent[key]
    if replacement is ...:
        del parent[key]
    else:
        parent[key] = replacement
    try:
        return json.dumps(payload).encode()
    finally:
        if replacement is not ... or isinstance(parent, dict):
            parent[key] = original
        else:
            parent.insert(key, original)


def mutations(rng: random.Random) -> Iterator[tuple[str, str, Path_, Any, dict[str, Any]]]:
    for file in sorted(WEBHOOKS_DIR.glob("*/*.json")):
        event = file.parent.name
        payload = json.loads(file.read_text())
        routed = route_key(event, payload) in MODELS
        paths = list(field_paths(payload))
        # "action" picks the route, so it is always among the mutated fields.
        chosen: list[Path_] = [("action",)] if "action" in payload else []
        rest = [p for p in paths if p not in chosen]
        chosen += rest if routed else rng.sample(rest, min(UNROUTED_SAMPLE, len(rest)))
        for path in chosen:
            current = _parent(payload, path)[path[-1]]
            others = [v for v in REPLACEMENTS if _type_name(v) != _type_name(current)]
            for replacement in (..., rng.choice(others)):
                yield file.name, event, path, replacement, payload


@pytest.fixture
async def client(tmp_path: Path, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = app_settings(tmp_path, redis_url, github_webhook_secret=SecretStr(SECRET))
    # An exception in the app becomes the 500 a server would send, and is counted as one.
    async with serve(settings, base_url="http://fuzz", raise_app_exceptions=False) as test_client:
        yield test_client


def _queued_kwargs(store: redis.Redis) -> list[dict[str, Any]]:
    jobs = []
    for key in store.scan_iter("arq:job:*"):
        raw = store.get(key)
        assert raw is not None
        jobs.append(deserialize_job(raw).kwargs)
    return jobs


# What a queued job's arguments may hold, by name (None where the route allows it).
KWARG_TYPES: dict[str, tuple[type, ...]] = {
    "installation_id": (int,),
    "pull_number": (int,),
    "comment_id": (int,),
    "check_run_id": (int,),
    "check_suite_id": (int,),
    "workflow_run_id": (int,),
    "repository": (str,),
    "head_sha": (str,),
    "check_name": (str,),
    "author": (str,),
    "command": (str,),
    "delivery": (str,),
    "argument": (str, type(None)),
    "ci_app": (str, type(None)),
    "account": (str, type(None)),
    "action": (str, type(None)),
}


async def test_mutated_payloads_never_get_a_5xx_or_queue_wrong_types(
    client: httpx.AsyncClient, redis_url: str
) -> None:
    rng = random.Random(SEED)
    statuses: dict[int, int] = {}
    failures: list[str] = []
    count = 0
    for name, event, path, replacement, payload in mutations(rng):
        count += 1
        body = body_with(payload, path, replacement)
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": f"fuzz-{count}",
            "X-Hub-Signature-256": expected_signature(body, SECRET),
        }
        response = await client.post("/webhooks/github", content=body, headers=headers)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        what = "removed" if replacement is ... else f"= {replacement!r}"
        if response.status_code >= 500:
            failures.append(f"{event}/{name} {'.'.join(map(str, path))} {what}: {response.text}")
        elif response.status_code == 400:
            assert response.json()["message"], (event, name, path)

    assert count > 15_000, count  # the sample really covers the recorded payloads
    assert failures == [], f"{len(failures)} 5xx of {count}: {failures[:5]}"
    assert statuses.get(400, 0) > 0 and statuses.get(202, 0) > 0, statuses
    store = redis.Redis.from_url(redis_url)
    try:
        queued = _queued_kwargs(store)
    finally:
        store.close()
    assert queued, "some mutations leave a routable payload, so some jobs must be queued"
    for kwargs in queued:
        for key, value in kwargs.items():
            if key in KWARG_TYPES:
                assert isinstance(value, KWARG_TYPES[key]), (key, value, kwargs)
            elif key in ("repositories", "removed"):
                assert all(isinstance(name, str) for name in value), (key, value)


async def test_a_wrong_typed_field_is_400_naming_its_path(client: httpx.AsyncClient) -> None:
    payload = json.loads((WEBHOOKS_DIR / "check_run" / "completed.payload.json").read_text())
    payload["check_run"]["pull_requests"][0]["number"] = "2"
    body, headers = signed_delivery("check_run", payload, SECRET)
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 400
    assert "check_run.pull_requests.0.number" in response.json()["message"]

    del payload["check_run"]["head_sha"]
    body, headers = signed_delivery("check_run", payload, SECRET)
    missing = await client.post("/webhooks/github", content=body, headers=headers)
    assert missing.status_code == 400
    assert "check_run.head_sha: Field required" in missing.json()["message"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("repository", "full_name"), "Codertocat/.."),
        (("repository", "full_name"), "Codertocat/Hello-World/../../orgs/x"),
        (("repository", "full_name"), "Codertocat/Hello?x=1"),
        (("check_run", "head_sha"), "ec26c3e5/../../x"),
        (("check_run", "pull_requests", 0, "head", "sha"), "HEAD"),
    ],
)
async def test_values_that_would_change_a_github_url_are_400(
    client: httpx.AsyncClient, path: Path_, value: str
) -> None:
    payload = json.loads((WEBHOOKS_DIR / "check_run" / "completed.payload.json").read_text())
    body, headers = signed_delivery("check_run", mutated(payload, path, value), SECRET)
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 400
    assert ".".join(map(str, path)) in response.json()["message"]

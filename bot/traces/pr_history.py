"""A PR's history from GitHub, fetched incrementally: each push costs only its new commits.

Commit details and blob hashes never change, so once read they are kept in a cache (Redis in
the worker). Lists that can change (the PR, its commits, review comments, a commit's check
runs) are read with `If-None-Match`: an unchanged list answers 304, which GitHub does not count
against the rate limit. Check runs are re-read only for the newest commits and for commits
whose runs had not all completed, so the calls per push stay bounded (see `calls`).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.constants import TRACE_CHECK_RUN_NAME

MAX_COMMITS = 250  # GitHub lists at most 250 commits for a pull request
MAX_BLOBS = 300  # after-hashes fetched per trace; beyond this they are left null
RECHECK_NEWEST = 2  # commits whose check runs are always re-read (CI is still reporting)
FETCH_CONCURRENCY = 8
CACHE_TTL_S = 30 * 24 * 3600


class HistoryCache(Protocol):
    async def get(self, key: str) -> Any | None: ...

    async def set(self, key: str, value: Any) -> None: ...


class MemoryCache:
    """For the CLI and tests: forgotten with the process."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    async def get(self, key: str) -> Any | None:
        return self.data.get(key)

    async def set(self, key: str, value: Any) -> None:
        self.data[key] = value


class RedisCache:
    """For the worker: JSON under `truth:prhist:*`, expiring a month after the last write."""

    def __init__(self, redis: Any, ttl_s: int = CACHE_TTL_S) -> None:
        self.redis, self.ttl_s = redis, ttl_s

    async def get(self, key: str) -> Any | None:
        raw = await self.redis.get(f"truth:prhist:{key}")
        return json.loads(raw) if raw else None

    async def set(self, key: str, value: Any) -> None:
        await self.redis.set(f"truth:prhist:{key}", json.dumps(value), ex=self.ttl_s)


@dataclass
class PrHistory:
    pull: dict[str, Any]
    details: list[dict[str, Any]]
    checks: list[list[tuple[dict[str, Any], Any]]]
    reviews: list[dict[str, Any]]
    after: dict[str, str]
    calls: int = 0  # API requests this fetch made (304s included)


@dataclass
class _Fetcher:
    gh: Any
    owner: str
    name: str
    cache: HistoryCache
    calls: int = 0
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(FETCH_CONCURRENCY))

    def key(self, *parts: object) -> str:
        return ":".join([self.owner, self.name, *map(str, parts)])

    async def conditional(self, key: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        """The JSON body, from the cache when GitHub answers 304 Not Modified."""
        cached = await self.cache.get(f"etag:{key}")
        headers = {"If-None-Match": cached["etag"]} if cached else None
        async with self.gate:
            self.calls += 1
            response = await call(self.owner, self.name, *args, headers=headers, **kwargs)
        if response.status_code == 304 and cached:
            return cached["body"]
        body = response.json()
        if etag := response.headers.get("etag"):
            await self.cache.set(f"etag:{key}", {"etag": etag, "body": body})
        return body

    async def once(self, key: str, call: Any, *args: Any) -> Any:
        """An immutable object (a commit, a blob): fetched the first time only."""
        found = await self.cache.get(key)
        if found is not None:
            return found
        async with self.gate:
            self.calls += 1
            body = (await call(self.owner, self.name, *args)).json()
        await self.cache.set(key, body)
        return body

    async def pages(self, key: str, call: Any, *args: Any, limit: int) -> list[Any]:
        items: list[Any] = []
        page = 1
        while len(items) < limit:
            batch = await self.conditional(
                self.key(key, page), call, *args, per_page=100, page=page
            )
            items.extend(batch)
            if len(batch) < 100:
                break
            page += 1
        return items[:limit]


async def _checks(f: _Fetcher, sha: str, refresh: bool) -> list[tuple[dict[str, Any], Any]]:
    key = f.key("checks", sha)
    if not refresh and (kept := await f.cache.get(key)) is not None:
        return [(run, notes) for run, notes in kept]
    listed = await f.conditional(key + ":list", f.gh.rest.checks.async_list_for_ref, sha)
    runs = listed["check_runs"]
    done = [
        r for r in runs if r.get("status") == "completed" and r.get("name") != TRACE_CHECK_RUN_NAME
    ]
    notes = await asyncio.gather(
        *(f.once(f.key("notes", r["id"]), f.gh.rest.checks.async_list_annotations, r["id"])
          for r in done)
    )  # fmt: skip
    pairs = [(run, note) for run, note in zip(done, notes, strict=True)]
    if all(r.get("status") == "completed" for r in runs) and (runs or not refresh):
        await f.cache.set(key, pairs)  # settled: later pushes need not ask again
    return pairs


async def _blob_hashes(f: _Fetcher, shas: list[str]) -> dict[str, str]:
    wanted = list(dict.fromkeys(shas))[:MAX_BLOBS]
    hashes: dict[str, str] = {}

    async def one(sha: str) -> None:
        key = f.key("blobhash", sha)
        known = await f.cache.get(key)
        if known is None:
            async with f.gate:
                f.calls += 1
                blob = (await f.gh.rest.git.async_get_blob(f.owner, f.name, sha)).json()
            if blob.get("encoding") != "base64":
                return
            known = hashlib.sha256(base64.b64decode(blob.get("content", ""))).hexdigest()
            await f.cache.set(key, known)
        hashes[sha] = known

    await asyncio.gather(*(one(sha) for sha in wanted))
    return hashes


async def fetch_history(
    gh: Any, repository: str, pull_number: int, cache: HistoryCache | None = None
) -> PrHistory:
    owner, _, name = repository.partition("/")
    f = _Fetcher(gh, owner, name, cache or MemoryCache())
    pull = await f.conditional(f.key("pull", pull_number), gh.rest.pulls.async_get, pull_number)
    commits = await f.pages(
        f"commits:{pull_number}", gh.rest.pulls.async_list_commits, pull_number, limit=MAX_COMMITS
    )
    details = await asyncio.gather(
        *(f.once(f.key("commit", c["sha"]), gh.rest.repos.async_get_commit, c["sha"])
          for c in commits)
    )  # fmt: skip
    newest = {c["sha"] for c in commits[-RECHECK_NEWEST:]}
    checks = await asyncio.gather(*(_checks(f, c["sha"], c["sha"] in newest) for c in commits))
    reviews = await f.pages(
        f"reviews:{pull_number}", gh.rest.pulls.async_list_review_comments, pull_number, limit=500
    )
    after = await _blob_hashes(
        f,
        [
            file["sha"]
            for d in details
            for file in d.get("files", [])
            if file.get("status") != "removed" and file.get("sha")
        ],
    )
    return PrHistory(pull, list(details), list(checks), reviews, after, f.calls)

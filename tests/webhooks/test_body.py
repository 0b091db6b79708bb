"""Bounded body reading: HMAC while streaming, large bodies spooled, few large bodies at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from starlette.requests import Request

from webhooks.body import BodyReader, BodyRefused
from webhooks.signature import claimed_digest, expected_signature

SECRET = "s3cret"
Receive = Callable[[], Awaitable[dict[str, Any]]]


def request(
    chunks: list[bytes], *, declared: int | None, gate: asyncio.Event | None = None
) -> Request:
    """A request whose body arrives in `chunks`; with `gate`, it stalls after the first one."""
    headers = [] if declared is None else [(b"content-length", str(declared).encode())]
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        if gate is not None and len(pending) < len(chunks):
            await gate.wait()
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    return Request(scope, receive)


def digest(body: bytes, secret: str = SECRET) -> bytes:
    claimed = claimed_digest(expected_signature(body, secret))
    assert claimed is not None
    return claimed


async def test_a_small_signed_body_is_read_whole() -> None:
    body = b'{"zen": "Design for failure."}'
    read = await BodyReader().read(request([body], declared=len(body)), SECRET, digest(body))
    assert (read.data, read.signed) == (body, True)


async def test_a_large_body_is_spooled_and_read_back_only_when_signed() -> None:
    reader = BodyReader(memory_bytes=1024)
    body = bytes(range(256)) * 40  # 10 KB in 10 chunks, no Content-Length
    chunks = [body[i : i + 1024] for i in range(0, len(body), 1024)]

    signed = await reader.read(request(chunks, declared=None), SECRET, digest(body))
    forged = await reader.read(request(chunks, declared=None), SECRET, digest(body, "other"))

    assert (signed.data, signed.signed) == (body, True)
    assert (forged.data, forged.signed) == (b"", False)
    assert reader.large_in_flight == 0


async def test_more_than_the_limit_is_413_whether_declared_or_streamed() -> None:
    reader = BodyReader(max_bytes=100, memory_bytes=10)
    with pytest.raises(BodyRefused) as declared:
        await reader.read(request([b"x"], declared=101), SECRET, bytes(32))
    with pytest.raises(BodyRefused) as streamed:
        await reader.read(request([b"x" * 60, b"x" * 60], declared=None), SECRET, bytes(32))
    assert declared.value.status == streamed.value.status == 413
    assert reader.large_in_flight == 0


async def test_large_bodies_past_the_slots_are_503_with_retry_after() -> None:
    reader = BodyReader(memory_bytes=10, large_slots=1)
    gate = asyncio.Event()
    body = b"a" * 50
    first = asyncio.create_task(
        reader.read(request([body[:25], body[25:]], declared=50, gate=gate), SECRET, digest(body))
    )
    await asyncio.sleep(0.01)  # the first body holds the one slot, half read
    assert reader.large_in_flight == 1

    with pytest.raises(BodyRefused) as declared:
        await reader.read(request([body], declared=50), SECRET, digest(body))
    with pytest.raises(BodyRefused) as undeclared:
        await reader.read(request([body[:5], body[5:]], declared=None), SECRET, digest(body))
    small = await reader.read(request([b"tiny"], declared=4), SECRET, digest(b"tiny"))

    assert declared.value.status == undeclared.value.status == 503
    assert declared.value.retry_after is not None and declared.value.retry_after > 0
    assert small.signed  # small bodies never wait for a slot
    gate.set()
    assert (await first).signed
    assert reader.large_in_flight == 0

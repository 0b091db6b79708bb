"""Read a delivery's body with bounded memory: HMAC while streaming, spool large bodies to disk.

Anyone can POST 25 MB with a made-up signature, and only the whole body tells whether it is
forged. So the HMAC is computed chunk by chunk; a body stays in memory only up to
`memory_bytes` (GitHub's usual payloads are a few KB); beyond that it rolls over to a
temporary file, and only `large_slots` such bodies are read at once: the next one is
answered 503 with Retry-After without reading the rest. Nothing is parsed before the HMAC matches.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

from starlette.requests import Request

from webhooks.signature import StreamingSignature

GITHUB_MAX_BYTES = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB
MEMORY_BYTES = 256 * 1024
LARGE_SLOTS = 4
RETRY_AFTER_S = 10


class BodyRefused(Exception):
    """The body was not read to the end: too large, or too many large bodies at once."""

    def __init__(self, status: int, state: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.state, self.message, self.retry_after = (
            status,
            state,
            message,
            retry_after,
        )


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(413, "too_large", f"Payload larger than GitHub ever sends ({limit} bytes).")


def _busy() -> BodyRefused:
    return BodyRefused(
        503,
        "busy",
        "Too many large deliveries are being received at once; redeliver in a few seconds.",
        retry_after=RETRY_AFTER_S,
    )


@dataclass
class SignedBody:
    """A body read to the end, and whether its HMAC matched the claimed digest."""

    data: bytes
    signed: bool


@dataclass
class BodyReader:
    """Reads bodies for one endpoint; counts the large ones in flight across requests."""

    max_bytes: int = GITHUB_MAX_BYTES
    memory_bytes: int = MEMORY_BYTES
    large_slots: int = LARGE_SLOTS
    large_in_flight: int = field(default=0, init=False)

    def declared_size(self, request: Request) -> int | None:
        declared = request.headers.get("content-length", "")
        return int(declared) if declared.isascii() and declared.isdigit() else None

    async def read(self, request: Request, secret: str, claimed: bytes) -> SignedBody:
        """The body and whether it is signed by `secret`; raises BodyRefused instead."""
        declared = self.declared_size(request)
        if declared is not None and declared > self.max_bytes:
            raise _too_large(self.max_bytes)
        mac = StreamingSignature(secret)
        large = declared is not None and declared > self.memory_bytes
        if large and not self._take_slot():
            raise _busy()
        try:
            with tempfile.SpooledTemporaryFile(max_size=self.memory_bytes) as spool:
                size = 0
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > self.max_bytes:  # Content-Length can lie or be absent
                        raise _too_large(self.max_bytes)
                    if size > self.memory_bytes and not large:
                        if not self._take_slot():
                            raise _busy()
                        large = True
                    mac.update(chunk)
                    spool.write(chunk)  # past memory_bytes, this rolls over to a file
                if not mac.matches(claimed):
                    return SignedBody(b"", signed=False)
                spool.seek(0)
                return SignedBody(spool.read(), signed=True)
        finally:
            if large:
                self.large_in_flight -= 1

    def _take_slot(self) -> bool:
        if self.large_in_flight >= self.large_slots:
            return False
        self.large_in_flight += 1
        return True

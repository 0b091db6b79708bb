"""POST /webhooks/github: verify the signature, parse, de-duplicate, route, enqueue; nothing else.

Answers: 202 queued / duplicate / ignored; 400 malformed; 401 bad signature; 413 too large;
503 when Redis (the queue) is unreachable, so GitHub marks the delivery failed and it can be
redelivered. No GitHub API call happens here: the worker does the work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import orjson
from arq.connections import ArqRedis
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.handlers.router import JobRequest, Router, Skip
from bot.settings import Settings
from webhooks.enqueue import DeliveryQueue
from webhooks.payload import parse_payload
from webhooks.signature import signature_is_valid

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB


class Answer(JSONResponse):
    """A JSON answer that also keeps its `state` (queued, duplicate, ignored…) for metrics."""

    def __init__(self, status: int, state: str, **details: Any) -> None:
        super().__init__({"status": state, **details}, status_code=status)
        self.state = state

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


_answer = Answer


@dataclass
class WebhookIngress:
    """The endpoint, bound to its settings, router and queue connection."""

    settings: Settings
    router: Router
    queue: ArqRedis
    max_body_bytes: int = MAX_BODY_BYTES
    deliveries: DeliveryQueue = field(init=False)

    def __post_init__(self) -> None:
        self.deliveries = DeliveryQueue(self.queue)

    async def __call__(self, request: Request) -> Answer:
        secret = self.settings.github_webhook_secret
        if secret is None:
            return _answer(
                503,
                "misconfigured",
                message="No webhook secret: set TRUTH_GITHUB_WEBHOOK_SECRET to the secret "
                "entered in the GitHub App's settings, then redeliver.",
            )
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return _answer(413, "too_large", message="Payload larger than GitHub ever sends.")
        body = await self._read_body(request)
        if body is None:
            return _answer(413, "too_large", message="Payload larger than GitHub ever sends.")
        signature = request.headers.get("x-hub-signature-256")
        if not signature_is_valid(body, signature, secret.get_secret_value()):
            log.warning("webhook rejected: missing or wrong X-Hub-Signature-256")
            return _answer(
                401,
                "unauthorized",
                message="Missing or wrong X-Hub-Signature-256; check that the app's webhook "
                "secret matches TRUTH_GITHUB_WEBHOOK_SECRET.",
            )
        event = request.headers.get("x-github-event")
        delivery = request.headers.get("x-github-delivery")
        if not event or not delivery:
            return _answer(
                400,
                "malformed",
                message="X-GitHub-Event and X-GitHub-Delivery headers are required.",
            )
        payload = parse_payload(body)
        if isinstance(payload, str):
            return _answer(400, "malformed", message=payload)

        results = self.router.dispatch(event, payload, self.settings)
        jobs = [r for r in results if isinstance(r, JobRequest)]
        if not jobs:
            reasons = [r.reason for r in results if isinstance(r, Skip)] or [
                f"no handler for {event}.{payload.get('action')}"
            ]
            log.info("delivery %s (%s) ignored: %s", delivery, event, "; ".join(reasons))
            return _answer(202, "ignored", delivery=delivery, reason="; ".join(reasons))
        return await self._enqueue(delivery, event, jobs)

    async def _read_body(self, request: Request) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def _enqueue(self, delivery: str, event: str, jobs: list[JobRequest]) -> Answer:
        try:
            outcome = await self.deliveries.submit(delivery, event, jobs)
        except (RedisError, OSError) as exc:
            # Nothing to unmark: the script marks the delivery only in the atomic step that
            # queues its jobs. A refused or unsent call leaves it free for GitHub's redelivery;
            # a call whose reply was lost did queue them, so the redelivery is rightly a no-op.
            log.error("queue unreachable for delivery %s: %s", delivery, type(exc).__name__)
            return _answer(
                503,
                "unavailable",
                message="The job queue (Redis) is unreachable; GitHub will show this delivery "
                "as failed, redeliver it once Redis is back.",
            )
        if outcome.duplicate_delivery:
            log.info("delivery %s is a redelivery; already handled", delivery)
            return _answer(202, "duplicate", delivery=delivery)
        queued, duplicates = list(outcome.queued), list(outcome.duplicates)
        log.info(
            "delivery %s (%s): queued %s, already queued %s", delivery, event, queued, duplicates
        )
        return _answer(
            202,
            "queued" if queued else "duplicate",
            delivery=delivery,
            jobs=queued,
            duplicates=duplicates,
        )

"""POST /webhooks/github: verify the signature, parse, de-duplicate, route, enqueue; nothing else.

Answers: 202 queued / duplicate / ignored; 400 malformed (naming the bad field's path);
401 bad signature; 413 too large; 503 busy (too many large bodies at once, with Retry-After) or
when Redis (the queue) is unreachable, so GitHub marks the delivery failed and it can be
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

from bot.handlers.router import Router, Skip
from bot.settings import Settings
from bot.worker.job import Enqueue
from bot.worker.queue import DeliveryQueue
from webhooks.body import GITHUB_MAX_BYTES, LARGE_SLOTS, BodyReader, BodyRefused
from webhooks.events import payload_problem
from webhooks.payload import parse_payload
from webhooks.signature import claimed_digest

log = logging.getLogger(__name__)

MAX_BODY_BYTES = GITHUB_MAX_BYTES


class Answer(JSONResponse):
    """A JSON answer that also keeps its `state` (queued, duplicate, ignored…) for metrics."""

    def __init__(self, status: int, state: str, **details: Any) -> None:
        super().__init__({"status": state, **details}, status_code=status)
        self.state = state

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


_answer = Answer

MAX_HEADER_CHARS = 200  # GitHub's event names and delivery GUIDs are far shorter


def _unsigned() -> Answer:
    log.warning("webhook rejected: missing, malformed or wrong X-Hub-Signature-256")
    return _answer(
        401,
        "unauthorized",
        message="Missing or wrong X-Hub-Signature-256; check that the app's webhook "
        "secret matches TRUTH_GITHUB_WEBHOOK_SECRET.",
    )


@dataclass
class WebhookIngress:
    """The endpoint, bound to its settings, router and queue connection."""

    settings: Settings
    router: Router
    queue: ArqRedis
    max_body_bytes: int = MAX_BODY_BYTES
    large_slots: int = LARGE_SLOTS
    deliveries: DeliveryQueue = field(init=False)
    bodies: BodyReader = field(init=False)

    def __post_init__(self) -> None:
        self.deliveries = DeliveryQueue(self.queue)
        self.bodies = BodyReader(max_bytes=self.max_body_bytes, large_slots=self.large_slots)

    async def __call__(self, request: Request) -> Answer:
        secret = self.settings.github_webhook_secret
        if secret is None:
            return _answer(
                503,
                "misconfigured",
                message="No webhook secret: set TRUTH_GITHUB_WEBHOOK_SECRET to the secret "
                "entered in the GitHub App's settings, then redeliver.",
            )
        claimed = claimed_digest(request.headers.get("x-hub-signature-256"))
        if claimed is None:
            # Refused before reading a byte: no well-formed signature, nothing worth reading.
            return _unsigned()
        try:
            body = await self.bodies.read(request, secret.get_secret_value(), claimed)
        except BodyRefused as refused:
            answer = _answer(refused.status, refused.state, message=refused.message)
            if refused.retry_after is not None:
                answer.headers["Retry-After"] = str(refused.retry_after)
            return answer
        if not body.signed:
            return _unsigned()
        event = request.headers.get("x-github-event")
        delivery = request.headers.get("x-github-delivery")
        if not event or not delivery:
            return _answer(
                400,
                "malformed",
                message="X-GitHub-Event and X-GitHub-Delivery headers are required.",
            )
        if len(event) > MAX_HEADER_CHARS or len(delivery) > MAX_HEADER_CHARS:
            return _answer(
                400,
                "malformed",
                message=f"X-GitHub-Event and X-GitHub-Delivery are at most {MAX_HEADER_CHARS} "
                "characters.",
            )
        payload = parse_payload(body.data)
        if isinstance(payload, str):
            return _answer(400, "malformed", message=payload)
        problem = payload_problem(event, payload)
        if problem is not None:
            log.warning("delivery %s (%s) refused: %s", delivery, event, problem)
            return _answer(400, "malformed", message=problem)

        results = self.router.dispatch(event, payload, self.settings)
        jobs = [r for r in results if isinstance(r, Enqueue)]
        if not jobs:
            reasons = [r.reason for r in results if isinstance(r, Skip)] or [
                f"no handler for {event}.{payload.get('action')}"
            ]
            log.info("delivery %s (%s) ignored: %s", delivery, event, "; ".join(reasons))
            return _answer(202, "ignored", delivery=delivery, reason="; ".join(reasons))
        return await self._enqueue(delivery, event, jobs)

    async def _enqueue(self, delivery: str, event: str, jobs: list[Enqueue[Any]]) -> Answer:
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

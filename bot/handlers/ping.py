"""`ping`: GitHub's hello when the webhook is created; answered by the ingress, no job."""

from __future__ import annotations

from bot.handlers.router import Payload, Router, RouteResult, Skip
from bot.settings import Settings

router = Router()


@router.on("ping")
def on_ping(payload: Payload, settings: Settings) -> RouteResult:
    return Skip(f"pong (hook {payload.get('hook_id')}): {payload.get('zen', '')}".strip())

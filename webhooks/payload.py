"""Pure parsing of a webhook body into the JSON object the routers read."""

from __future__ import annotations

from typing import Any

import orjson


def parse_payload(body: bytes) -> dict[str, Any] | str:
    """The body's JSON object, or why it is not one (a message for the 400 answer)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "The body is not valid JSON."
    if not isinstance(payload, dict):
        return "The body is not a JSON object."
    return payload

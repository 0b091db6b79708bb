"""Where a command-line session can be seen: its dashboard URL, and how to open it."""

from __future__ import annotations

import httpx

from bot.settings import Settings

PROBE_SECONDS = 0.5


def session_url(settings: Settings, session_id: str) -> str:
    return f"{settings.public_url.rstrip('/')}/sessions/{session_id}"


def dashboard_answers(settings: Settings) -> bool:
    """Whether a dashboard answers at TRUTH_PUBLIC_URL (a quick /healthz, no retries)."""
    try:
        answer = httpx.get(
            f"{settings.public_url.rstrip('/')}/healthz", timeout=PROBE_SECONDS, trust_env=False
        )
    except httpx.HTTPError:
        return False
    return answer.status_code == 200


def session_line(settings: Settings, session_id: str, *, probe: bool = True) -> str:
    """`Session: URL` when the dashboard is up, else the URL and the command that serves it."""
    url = session_url(settings, session_id)
    if probe and dashboard_answers(settings):
        return f"Session: {url}"
    return f"Session: {url} (after `truth serve`)"

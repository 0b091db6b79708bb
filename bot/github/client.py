"""githubkit clients authenticated as the app or one installation, with retries and backoff.

githubkit's AppInstallationAuthStrategy caches the installation token in its cache strategy
until one minute before `expires_at`, and the app JWT for 8 of its 10 minutes, so one client
per installation per process is enough: it never re-mints a token it can still use.
"""

from __future__ import annotations

from typing import Any

from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, GitHub
from githubkit.retry import RetryChainDecision, RetryRateLimit, RetryServerError

from bot.settings import Settings

# Secondary rate limits answer 403/429 with Retry-After, which githubkit turns into
# RateLimitExceeded(retry_after); 5xx are retried with a growing pause (1 s, 4 s, 9 s).
RETRY = RetryChainDecision(RetryRateLimit(max_retry=3), RetryServerError(max_retry=3))
USER_AGENT = "truth-engine"


def _client(settings: Settings, strategy: Any) -> GitHub[Any]:
    return GitHub(
        strategy,
        base_url=settings.github_api_url,
        auto_retry=RETRY,
        user_agent=USER_AGENT,
        timeout=30.0,
    )


def app_client(settings: Settings) -> GitHub[Any]:
    """Authenticated as the app itself (JWT): installation lookups, manifest conversions."""
    pem = settings.github_private_key_pem()
    return _client(settings, AppAuthStrategy(str(settings.github_app_id), pem))


def installation_client(settings: Settings, installation_id: int) -> GitHub[Any]:
    """Authenticated as one installation: everything the app does in a repository."""
    pem = settings.github_private_key_pem()
    strategy = AppInstallationAuthStrategy(str(settings.github_app_id), pem, installation_id)
    return _client(settings, strategy)


def split_repo(repository: str) -> tuple[str, str]:
    owner, _, name = repository.partition("/")
    return owner, name

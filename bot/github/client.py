"""githubkit clients authenticated as the app or one installation, with retries and backoff.

githubkit's AppInstallationAuthStrategy caches the installation token in its cache strategy
until one minute before `expires_at`, and the app JWT for 8 of its 10 minutes, so one client
per installation per process is enough: it never re-mints a token it can still use.
githubkit's HTTP response cache is off: kept in memory, it grew with every tarball and log.
"""

from __future__ import annotations

from typing import Any

import httpx
from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, GitHub

from bot.github.retry import GitHubRetry
from bot.settings import Settings

RETRY = GitHubRetry()
USER_AGENT = "truth-engine"


def _client(settings: Settings, strategy: Any) -> GitHub[Any]:
    return GitHub(
        strategy,
        base_url=settings.github_api_url,
        auto_retry=RETRY,
        user_agent=USER_AGENT,
        timeout=30.0,
        http_cache=False,
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


def github_web_url(api_url: str) -> str:
    """GitHub's web address for an API address: github.com, GHE Server's host, or GHE.com's."""
    url = httpx.URL(api_url)
    host = url.host
    if host in ("api.github.com", "github.com"):
        return "https://github.com"
    if host.startswith("api."):
        return f"{url.scheme}://{host[4:]}"  # GHE.com: api.acme.ghe.com -> acme.ghe.com
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{host}{port}"  # GHE Server: https://ghe.example.com/api/v3


def split_repo(repository: str) -> tuple[str, str]:
    owner, _, name = repository.partition("/")
    return owner, name

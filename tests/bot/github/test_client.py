"""The worker's GitHub clients keep no HTTP response cache and retry as GitHub documents."""

from __future__ import annotations

from pydantic import SecretStr

from bot.github.client import RETRY, app_client, installation_client
from bot.github.retry import GitHubRetry
from bot.settings import Settings


def test_clients_keep_no_response_cache_and_use_the_one_retry_policy(private_key: str) -> None:
    settings = Settings(github_app_id=1, github_private_key=SecretStr(private_key))
    for client in (app_client(settings), installation_client(settings, 42)):
        # githubkit's default cache kept every tarball and log in memory for the process.
        assert client.config.http_cache is False
        assert client.config.auto_retry is RETRY and isinstance(RETRY, GitHubRetry)

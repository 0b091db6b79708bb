"""Read a PR's `.github/truth.yml` (and the org's) from GitHub at a given commit."""

from __future__ import annotations

import base64
from typing import Any

from githubkit.exception import RequestFailed

from bot.github.client import split_repo
from bot.github.config import CONFIG_PATH, RepoConfig, merge_config


async def _read_file(gh: Any, repository: str, path: str, ref: str | None) -> str | None:
    owner, name = split_repo(repository)
    try:
        kwargs = {"ref": ref} if ref else {}
        response = await gh.rest.repos.async_get_content(owner, name, path, **kwargs)
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return None
        raise
    content = getattr(response.parsed_data, "content", None)
    return base64.b64decode(content).decode("utf-8", "replace") if content else None


async def load_repo_config(gh: Any, repository: str, head_sha: str) -> RepoConfig:
    owner = repository.split("/")[0]
    org_text = await _read_file(gh, f"{owner}/.github", CONFIG_PATH, None)
    repo_text = await _read_file(gh, repository, CONFIG_PATH, head_sha)
    return merge_config(org_text, repo_text, repository)

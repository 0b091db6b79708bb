"""Repository config `.github/truth.yml` merged over the org `.github` repo's (pure parsing)."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

CONFIG_PATH = ".github/truth.yml"


class ConfigInvalid(ValueError):
    """The config file cannot be used; the message says which file, which key, what to do."""


class RepoConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test_command: str | None = None
    install_command: str | None = None
    auto_fix: bool = True
    max_candidates: int = Field(default=3, ge=1, le=10)
    protected_paths: list[str] = Field(default_factory=list)
    allow_dangerous_calls: bool = False
    open_fix_pr: bool = False


def parse_config_text(text: str | None, source: str) -> dict[str, Any]:
    """The keys set in one file (validated), so a repo file overrides only what it names."""
    if not text or not text.strip():
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigInvalid(
            f"{source} is not valid YAML ({exc}). Fix the syntax and push."
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigInvalid(
            f"{source} must be a mapping of keys to values, not {type(data).__name__}."
        )
    try:
        RepoConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"`{'.'.join(str(p) for p in err['loc'])}`: {err['msg']}" for err in exc.errors()
        )
        allowed = ", ".join(RepoConfig.model_fields)
        raise ConfigInvalid(
            f"{source} has invalid settings: {problems}. Allowed keys: {allowed}."
        ) from exc
    return data


def merge_config(org_text: str | None, repo_text: str | None, repository: str) -> RepoConfig:
    """Org defaults first, then the repository's own file; raises ConfigInvalid with the culprit."""
    owner = repository.split("/")[0]
    merged = {
        **parse_config_text(org_text, f"{owner}/.github:{CONFIG_PATH}"),
        **parse_config_text(repo_text, f"{repository}:{CONFIG_PATH}"),
    }
    return RepoConfig.model_validate(merged)

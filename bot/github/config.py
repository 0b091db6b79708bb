"""Repository config `.github/truth.yml` merged over the org `.github` repo's (pure parsing)."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.constants import DEFAULT_CANDIDATES
from bot.errors import ConfigInvalid
from runner.discovery.python_version import AVAILABLE as PYTHON_VERSIONS

CONFIG_PATH = ".github/truth.yml"
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH", re.I)
RESERVED_ENV = frozenset({"PATH", "HOME", "PYTHONPATH", "VIRTUAL_ENV"})


class RepoConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test_command: str | None = None
    install_command: str | None = None
    auto_fix: bool = True
    max_candidates: int = Field(default=DEFAULT_CANDIDATES, ge=1, le=10)
    protected_paths: list[str] = Field(default_factory=list)
    allow_dangerous_calls: bool = False
    open_fix_pr: bool = False
    # Globs of check or status names that run tests even when their logs do not show it
    # (e.g. "integration/*"); other failing checks are fixed only when their log names tests.
    checks: list[str] = Field(default_factory=list)
    # The sandbox's Python (3.9, 3.11 or 3.13); by default chosen from the repository's files.
    python: str | None = None
    # The baseline's time limit in seconds; candidates' limits follow its measured time.
    timeout: float | None = Field(default=None, gt=0, le=6 * 3600)
    # Test ids (or files) a fix must make pass; by default the tests failing before it.
    targets: list[str] = Field(default_factory=list)
    # Test environment variables (locale, time zone, feature flags), never secrets.
    env: dict[str, str] = Field(default_factory=dict)

    @field_validator("python", mode="before")
    @classmethod
    def _python_version(cls, value: object) -> object:
        # YAML reads `python: 3.9` as a float; `3.10` would become 3.1, so ask for quotes.
        text = f"{value:g}" if isinstance(value, float) else value
        if text is not None and text not in PYTHON_VERSIONS:
            offered = ", ".join(PYTHON_VERSIONS)
            raise ValueError(f"Python {text} is not offered; use one of {offered} (quoted)")
        return text

    @field_validator("env")
    @classmethod
    def _no_secrets(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if SECRET_NAME.search(name) or name.upper() in RESERVED_ENV:
                raise ValueError(
                    f"{name} cannot be set here: `env` is for test settings such as LANG or TZ, "
                    "never secrets or the sandbox's own PATH/HOME"
                )
        return value


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

"""Typed settings for every Truth Engine process, read once at start-up and passed down."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.constants import DEFAULT_CANDIDATES, MAX_CANDIDATES, SEARCH_TIME_BUDGET_S
from bot.errors import ConfigError
from runner.egress_fence import EgressPolicy
from runner.limits import SandboxLimits

__all__ = ["ConfigError", "Settings", "load_settings"]

DEFAULT_STATE_DIR = Path.home() / ".truth-engine"
CREDENTIALS_FILE = "github-app.json"
# GitHub's manifest conversion keys, and the setting each one becomes (None: kept, not a setting).
STORED_KEYS = {
    "id": "github_app_id",
    "pem": "github_private_key",
    "webhook_secret": "github_webhook_secret",
    "client_id": "github_client_id",
    "client_secret": "github_client_secret",
    "slug": None,
    "html_url": None,
}


def credentials_path(state_dir: Path) -> Path:
    """Where the setup page stores the GitHub App registration it received."""
    return state_dir / CREDENTIALS_FILE


def store_credentials(state_dir: Path, conversion: dict[str, Any]) -> Path:
    """Keep what GitHub returned in a file only this user can read (it holds the private key)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = credentials_path(state_dir)
    data = {key: conversion.get(key) for key in STORED_KEYS}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle)
    os.chmod(path, 0o600)
    return path


def load_stored_credentials(state_dir: Path) -> dict[str, Any]:
    """Settings values from a stored registration ({} when there is none)."""
    path = credentials_path(state_dir)
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {
        setting: data[key]
        for key, setting in STORED_KEYS.items()
        if setting is not None and data.get(key) is not None
    }


class StoredCredentials(PydanticBaseSettingsSource):
    """The setup page's stored registration, below the environment and `.env` in priority.

    Used only while no app id is set higher up, so stored and configured values never mix.
    """

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ reads the whole file at once

    def __call__(self) -> dict[str, Any]:
        state = self.current_state
        if state.get("github_app_id") is not None:
            return {}
        state_dir = Path(state.get("state_dir") or DEFAULT_STATE_DIR).expanduser()
        return load_stored_credentials(state_dir)


class Settings(BaseSettings):
    """All settings come from `TRUTH_*` environment variables or a `.env` file."""

    model_config = SettingsConfigDict(
        env_prefix="TRUTH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    state_dir: Path = DEFAULT_STATE_DIR
    database_url: str = ""
    redis_url: str = "redis://localhost:6379/0"
    public_url: str = "http://localhost:8000"

    github_app_id: int | None = None
    github_private_key: SecretStr | None = None
    github_private_key_path: Path | None = None
    github_webhook_secret: SecretStr | None = None
    github_client_id: str | None = None
    github_client_secret: SecretStr | None = None
    github_api_url: str = "https://api.github.com"
    session_secret: SecretStr | None = None  # dashboard cookies; unset: generated in state_dir

    trace_secret: SecretStr = SecretStr("truth-engine-dev-trace-secret")
    trace_signing_key_path: Path | None = None

    model: str | None = None
    fallback_model: str | None = None
    model_timeout_seconds: float = 60.0
    model_api_base: str | None = Field(
        default=None, description="OpenAI-compatible endpoint for TRUTH_MODEL (e.g. a local server)"
    )
    model_api_key: SecretStr | None = Field(
        default=None, description="key for that endpoint; unset: the provider's own variable"
    )
    # The model engine's conversation per session: rounds of ask, verify, tell, and their spend.
    model_rounds: int = Field(default=3, ge=1)
    model_session_tokens: int = Field(default=60_000, ge=0)
    model_session_cost_usd: float = Field(default=0.5, ge=0)

    sandbox_image: str | None = None
    sandbox_memory_mb: int = 1024
    sandbox_cpus: float = 1.0
    sandbox_pids: int = 256
    # The baseline run's limit: generous, since candidates' limits follow its measured time.
    sandbox_timeout_seconds: float = 600.0
    sandbox_output_bytes: int = 1024 * 1024
    sandbox_scratch_mb: int = 256
    sandbox_parallelism: int = Field(default=0, description="0 means the number of cores")
    confirm_runs: int = Field(
        default=3, ge=0, description="fresh re-runs a verified winner must pass (else: flaky)"
    )
    docker_host: str | None = None
    ca_bundle_path: Path | None = None
    # The prepare step's egress allow-list (runner/egress.py); the host's proxy variables are
    # never passed on. Lists are JSON: TRUTH_PREPARE_ALLOWED_HOSTS='["files.corp"]'.
    prepare_index_url: str | None = Field(default=None, description="unset: PyPI")
    prepare_allowed_hosts: list[str] = Field(default_factory=list)
    prepare_upstream_proxy: str | None = None
    prepare_proxy_network: str | None = None
    # Proofs and trace blobs: unset keeps them under state_dir; s3://bucket/prefix shares them
    # between machines (any S3-compatible server: s3_endpoint_url).
    blob_store_url: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    log_format: Literal["text", "json"] = "text"
    worker_metrics_port: int = Field(default=9101, description="worker /metrics; 0: off")

    candidates: int = DEFAULT_CANDIDATES
    # The repair search per session: candidates tried at most, and its wall-clock budget.
    max_repair_candidates: int = Field(default=MAX_CANDIDATES, ge=1)
    repair_time_budget_seconds: float = Field(default=SEARCH_TIME_BUDGET_S, gt=0)
    # Tried after the first fix that survives, looking for one that answers differently.
    second_opinion_candidates: int = Field(default=3, ge=0)
    daily_verification_quota: int = 200
    max_sessions_per_pr: int = 5
    max_sessions_per_head_sha: int = 2
    # Fix and trace jobs of one installation running at once across all workers; more wait.
    jobs_per_installation: int = Field(default=2, ge=1)
    trace_retention_days: int = 90

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        stored = StoredCredentials(settings_cls)
        return (init_settings, env_settings, dotenv_settings, file_secret_settings, stored)

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.state_dir / 'truth.db'}"
        return self

    @property
    def egress_policy(self) -> EgressPolicy:
        """Where the prepare step may connect (the package index only)."""
        return EgressPolicy(
            index_url=self.prepare_index_url,
            extra_hosts=tuple(self.prepare_allowed_hosts),
            upstream_proxy=self.prepare_upstream_proxy,
            proxy_network=self.prepare_proxy_network,
        )

    @property
    def sandbox_limits(self) -> SandboxLimits:
        return SandboxLimits(
            memory_mb=self.sandbox_memory_mb,
            cpus=self.sandbox_cpus,
            pids=self.sandbox_pids,
            wall_seconds=self.sandbox_timeout_seconds,
            output_bytes=self.sandbox_output_bytes,
            scratch_mb=self.sandbox_scratch_mb,
        )

    def github_private_key_pem(self) -> str:
        """The app's private key, from the variable or the file; raises ConfigError if absent."""
        if self.github_private_key is not None:
            return self.github_private_key.get_secret_value().replace("\\n", "\n")
        if self.github_private_key_path is not None:
            try:
                return self.github_private_key_path.read_text()
            except OSError as exc:
                raise ConfigError(
                    f"TRUTH_GITHUB_PRIVATE_KEY_PATH={self.github_private_key_path} cannot be read "
                    f"({exc.strerror}); point it at the .pem file GitHub gave you."
                ) from exc
        raise ConfigError(
            "No GitHub App private key: set TRUTH_GITHUB_PRIVATE_KEY or "
            "TRUTH_GITHUB_PRIVATE_KEY_PATH (the .pem downloaded from the app's settings page)."
        )

    @property
    def github_app_configured(self) -> bool:
        return self.github_app_id is not None and (
            self.github_private_key is not None or self.github_private_key_path is not None
        )


def load_settings(**overrides: object) -> Settings:
    """Read settings once; the caller passes the object down instead of re-reading."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    # A configured app never signs with the public trace secret; its secrets are redacted.
    from bot.service.process_secrets import secure_process_settings

    return secure_process_settings(settings)

"""Typed settings for every Truth Engine process, read once at start-up and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from runner.egress_fence import EgressPolicy
from runner.limits import SandboxLimits

DEFAULT_STATE_DIR = Path.home() / ".truth-engine"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


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

    sandbox_image: str | None = None
    sandbox_memory_mb: int = 1024
    sandbox_cpus: float = 1.0
    sandbox_pids: int = 256
    sandbox_timeout_seconds: float = 10.0
    sandbox_output_bytes: int = 1024 * 1024
    sandbox_scratch_mb: int = 256
    sandbox_parallelism: int = Field(default=0, description="0 means the number of cores")
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

    candidates: int = 3
    daily_verification_quota: int = 200
    max_sessions_per_pr: int = 5
    max_sessions_per_head_sha: int = 2
    trace_retention_days: int = 90

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
    if not settings.github_app_configured:
        # Credentials stored by the setup page's one-click registration (web/setup.py).
        from web.setup import load_stored_credentials

        stored = load_stored_credentials(settings.state_dir)
        if stored:
            settings = Settings(**{**stored, **overrides})
    # A configured app never signs with the public trace secret; its secrets are redacted.
    from bot.secret_settings import secure_process_settings

    return secure_process_settings(settings)

"""The process's own secrets: a real trace secret when an app is configured, all values redacted."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from bot.settings import Settings
from runner.redact import register_secrets

log = logging.getLogger(__name__)

TRACE_SECRET_FILE = "trace-secret"
PUBLIC_TRACE_SECRET: str = Settings.model_fields["trace_secret"].default.get_secret_value()
# Provider variables litellm reads when TRUTH_MODEL_API_KEY is unset; their values are ours to hide.
MODEL_KEY_VARIABLES = (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "MISTRAL_API_KEY",
    "GROQ_API_KEY", "DEEPSEEK_API_KEY", "COHERE_API_KEY", "TOGETHERAI_API_KEY",
    "OPENROUTER_API_KEY", "AZURE_API_KEY", "XAI_API_KEY", "HUGGINGFACE_API_KEY",
    "FIREWORKS_AI_API_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
)  # fmt: skip


def model_key_values(settings: Settings, environ: dict[str, str] | None = None) -> list[str]:
    """TRUTH_MODEL_API_KEY and every provider key variable that is set."""
    env = os.environ if environ is None else environ
    found = [env[name] for name in MODEL_KEY_VARIABLES if env.get(name)]
    if settings.model_api_key is not None:
        found.append(settings.model_api_key.get_secret_value())
    return found


def configured_secret_values(
    settings: Settings, environ: dict[str, str] | None = None
) -> list[str]:
    """Every secret this process holds: webhook, trace, OAuth, session, S3, app key, model keys."""
    values = [
        secret.get_secret_value()
        for secret in (
            settings.github_webhook_secret,
            settings.github_client_secret,
            settings.session_secret,
            settings.github_private_key,
            settings.s3_secret_access_key,
        )
        if secret is not None
    ]
    if settings.trace_secret.get_secret_value() != PUBLIC_TRACE_SECRET:
        values.append(settings.trace_secret.get_secret_value())
    if settings.github_private_key_path is not None:
        # An unreadable key is reported by github_private_key_pem() where it is needed.
        with contextlib.suppress(OSError):
            values.append(settings.github_private_key_path.read_text())
    return values + model_key_values(settings, environ)


def _stored_trace_secret(path: Path) -> tuple[str, bool]:
    """The secret kept in `path`, made (0600, exclusive create) if absent; True if made now."""
    if path.exists():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process on this state dir made it first; use theirs
        return path.read_text().strip(), False
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value)
    return value, True


def settle_trace_secret(settings: Settings) -> Settings:
    """With a GitHub App configured, never sign traces with the public default secret: use the
    one persisted in the state dir, or generate and persist it now, and say so."""
    if not settings.github_app_configured:
        return settings
    if settings.trace_secret.get_secret_value() != PUBLIC_TRACE_SECRET:
        return settings
    path = settings.state_dir / TRACE_SECRET_FILE
    value, made = _stored_trace_secret(path)
    if not value:
        raise ValueError(
            f"{path} is empty; delete it to have a new trace secret generated, or set "
            "TRUTH_TRACE_SECRET."
        )
    if made:
        log.warning(
            "TRUTH_TRACE_SECRET was the public default; generated a random one and stored it in "
            "%s. Processes on other machines must share it: set TRUTH_TRACE_SECRET to that "
            "file's contents on each of them.",
            path,
        )
    return settings.model_copy(update={"trace_secret": SecretStr(value)})


def secure_process_settings(settings: Settings) -> Settings:
    """Settle the trace secret and register every secret value for redaction in this process."""
    settings = settle_trace_secret(settings)
    register_secrets(configured_secret_values(settings))
    return settings

"""The trace secret is never the public default once an app is configured; secrets get redacted."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from bot.service.process_secrets import (
    PUBLIC_TRACE_SECRET,
    TRACE_SECRET_FILE,
    configured_secret_values,
    settle_trace_secret,
)
from bot.settings import Settings, load_settings
from runner.redact import MASK, forget_registered_secrets, redact


@pytest.fixture(autouse=True)
def _no_registered_secrets():
    forget_registered_secrets()
    yield
    forget_registered_secrets()


def app_settings(tmp_path: Path, private_key: str, **extra: object) -> Settings:
    return Settings(github_app_id=1, github_private_key=private_key, state_dir=tmp_path, **extra)  # type: ignore[arg-type]


def test_a_configured_app_gets_a_generated_persisted_trace_secret(tmp_path, private_key, caplog):
    with caplog.at_level(logging.WARNING):
        first = settle_trace_secret(app_settings(tmp_path, private_key))
    value = first.trace_secret.get_secret_value()
    assert value != PUBLIC_TRACE_SECRET and len(value) >= 48
    path = tmp_path / TRACE_SECRET_FILE
    assert path.read_text() == value
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path) in caplog.text and "generated" in caplog.text
    assert value not in caplog.text
    caplog.clear()
    again = settle_trace_secret(app_settings(tmp_path, private_key))
    assert again.trace_secret.get_secret_value() == value  # a restart keeps it
    assert "generated" not in caplog.text


def test_an_explicit_secret_or_no_app_leaves_the_trace_secret_alone(tmp_path, private_key):
    explicit = app_settings(tmp_path, private_key, trace_secret="operator-chosen-secret")
    assert settle_trace_secret(explicit).trace_secret.get_secret_value() == (
        "operator-chosen-secret"
    )
    local = Settings(state_dir=tmp_path)
    assert settle_trace_secret(local).trace_secret.get_secret_value() == PUBLIC_TRACE_SECRET
    assert not (tmp_path / TRACE_SECRET_FILE).exists()


def test_an_empty_stored_secret_is_refused_with_what_to_do(tmp_path, private_key):
    (tmp_path / TRACE_SECRET_FILE).write_text("")
    with pytest.raises(ValueError, match="delete it"):
        settle_trace_secret(app_settings(tmp_path, private_key))


def test_every_configured_secret_and_model_key_is_listed(tmp_path, private_key):
    key_file = tmp_path / "app.pem"
    key_file.write_text(private_key)
    settings = Settings(
        github_app_id=1,
        github_private_key_path=key_file,
        github_webhook_secret="hook-secret-1",
        github_client_secret="oauth-secret-1",
        trace_secret="trace-secret-1",
        model_api_key="model-key-1",
        state_dir=tmp_path,
    )  # type: ignore[arg-type]
    values = configured_secret_values(settings, {"ANTHROPIC_API_KEY": "anthropic-1", "HOME": "/x"})
    assert set(values) == {
        private_key, "hook-secret-1", "oauth-secret-1", "trace-secret-1", "model-key-1",
        "anthropic-1",
    }  # fmt: skip


def test_load_settings_registers_the_values_for_redaction(tmp_path, private_key, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "plain-openai-value")
    settings = load_settings(
        github_app_id=1,
        github_private_key=private_key,
        github_webhook_secret="webhook-secret-value",
        state_dir=tmp_path,
    )
    trace = settings.trace_secret.get_secret_value()
    text = f"a {trace} b webhook-secret-value c plain-openai-value"
    assert redact(text) == f"a {MASK} b {MASK} c {MASK}"

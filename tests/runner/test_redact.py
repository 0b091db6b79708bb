"""Secret redaction: each kind of secret is masked and counted; ordinary code is left alone."""

from __future__ import annotations

import io
import logging

import pytest

from runner.redact import (
    MASK,
    forget_registered_secrets,
    install_log_redaction,
    redact,
    redact_text,
    redact_tree,
    register_secrets,
)

SECRETS = [
    ("token ghp_" + "a1B2" * 9, "ghp_"),
    ("gho_" + "Z" * 36, "gho_"),
    ("ghs_" + "9" * 36, "ghs_"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_"),
    ("aws key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXk",
    ),
    ("redis://default:s3cretpass@cache:6379/0", "s3cretpass"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abcdef", "eyJhbGciOiJIUzI1NiJ9abcdef"),
    ("STRIPE_API_KEY=whatever-value-123", "whatever-value-123"),
    ("export APP_SECRET='hush-hush'", "hush-hush"),
    ("password=correcthorse", "correcthorse"),
    ("OPENAI=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "sk-proj-abcdef"),
    ("slack xoxb-123456789012-abcdefghij", "xoxb-123456789012"),
    ("stripe sk_live_abcdefghijklmnop1234", "sk_live_abcdef"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_each_kind_of_secret_is_masked_once(text, secret):
    cleaned, count = redact_text(text)
    assert secret not in cleaned
    assert MASK in cleaned
    assert count == 1


@pytest.mark.parametrize(
    "code",
    [
        "id: int = Field(primary_key=True)",
        "def test_password_reset(client):",
        "token = tokenizer.next()",
        "url = 'https://example.com/path'",
    ],
)
def test_ordinary_code_is_left_alone(code):
    assert redact_text(code) == (code, 0)


def test_redact_tree_walks_nested_values_and_sums_counts():
    tree = {"a": ["password=abcd1234", {"b": "ghp_" + "x" * 36}], "n": 3, "k": None}
    cleaned, count = redact_tree(tree)
    assert count == 2
    assert cleaned == {"a": ["password=" + MASK, {"b": MASK}], "n": 3, "k": None}


def test_redaction_is_idempotent():
    once, _ = redact_text("DB_PASSWORD=hunter2 and ghp_" + "q" * 36)
    assert redact_text(once) == (once, 0)


MORE_SECRETS = [
    ("api token tet_" + "Ab3-_x" * 6, "tet_Ab3"),
    ("ANTHROPIC=sk-ant-api03-" + "k" * 40, "sk-ant-api03-kkkk"),
    ("google AIza" + "B" * 35 + " used", "AIzaBBBB"),
    ("oauth ya29." + "c" * 30, "ya29.cccc"),
    ("ghu_" + "u" * 36 + " user-to-server", "ghu_uuuu"),
    ("postgresql://truth:pg-pass-99@db:5432/truth", "pg-pass-99"),
    ("redis://:cache-pass-7@cache:6379/0", "cache-pass-7"),
    ("host=db user=truth password=libpq-pass-1 dbname=x", "libpq-pass-1"),
]


@pytest.mark.parametrize(("text", "secret"), MORE_SECRETS)
def test_provider_tokens_app_tokens_and_connection_strings_are_masked(text, secret):
    cleaned, count = redact_text(text)
    assert secret not in cleaned
    assert count == 1


@pytest.fixture
def configured():
    forget_registered_secrets()
    yield
    forget_registered_secrets()


def test_configured_secret_values_are_masked_even_without_a_known_shape(configured):
    register_secrets(["plain-webhook-secret-42", None, "short"])
    cleaned, count = redact_text("sig over plain-webhook-secret-42; short stays")
    assert cleaned == f"sig over {MASK}; short stays"
    assert count == 1
    tree, count = redact_tree({"x": ["plain-webhook-secret-42"]})
    assert tree == {"x": [MASK]} and count == 1


def test_a_configured_private_key_is_masked_line_by_line(configured):
    body = "MIIEowIBAAKCAQEAx1yQ7fQ9" + "Z" * 40
    register_secrets([f"-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----"])
    assert redact(f"line leaked: {body}") == f"line leaked: {MASK}"


def test_log_records_are_redacted_before_any_handler_writes_them(configured):
    register_secrets(["model-key-value-123"])
    stream = io.StringIO()
    logger = logging.getLogger("test-redact-logs")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    install_log_redaction(logger)
    try:
        logger.warning("calling with %s and %s", "model-key-value-123", "ghp_" + "z" * 36)
        try:
            raise RuntimeError("password=tracebacksecret")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "model-key-value-123" not in written and "ghp_zzz" not in written
    assert "tracebacksecret" not in written
    assert "calling with [REDACTED] and [REDACTED]" in written
    assert "RuntimeError: password=[REDACTED]" in written

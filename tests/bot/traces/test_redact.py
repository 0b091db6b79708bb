"""Secret redaction: each kind of secret is masked and counted; ordinary code is left alone."""

from __future__ import annotations

import pytest

from bot.traces.redact import MASK, redact_text, redact_tree

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

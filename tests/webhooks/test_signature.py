"""The pure signature check: only the exact HMAC of the exact body under the secret passes."""

from webhooks.signature import (
    StreamingSignature,
    claimed_digest,
    expected_signature,
    signature_is_valid,
)

BODY = b'{"action":"completed"}'


def test_the_right_signature_passes() -> None:
    assert signature_is_valid(BODY, expected_signature(BODY, "s3cret"), "s3cret")


def test_wrong_secret_changed_body_or_missing_header_fail() -> None:
    good = expected_signature(BODY, "s3cret")
    assert not signature_is_valid(BODY, expected_signature(BODY, "other"), "s3cret")
    assert not signature_is_valid(BODY + b" ", good, "s3cret")
    assert not signature_is_valid(BODY, None, "s3cret")
    assert not signature_is_valid(BODY, "", "s3cret")
    assert not signature_is_valid(BODY, good.removeprefix("sha256="), "s3cret")
    assert not signature_is_valid(BODY, "sha1=" + good[7:], "s3cret")


def test_an_empty_secret_never_validates() -> None:
    # An HMAC under "" is computable by anyone; treat a blank secret as no secret.
    assert not signature_is_valid(BODY, expected_signature(BODY, ""), "")


def test_malformed_headers_are_invalid_never_an_exception() -> None:
    good = expected_signature(BODY, "s3cret")
    for header in (
        "sha256=" + "é" * 64,  # non-ASCII (Starlette decodes header bytes as latin-1)
        "sha256=" + "\u0663" * 64,  # Arabic-Indic digits: str.isdigit() would say yes
        good + "0",
        good[:-1],
        "sha512=" + good[7:],
        "SHA256=" + good[7:],
        "sha256=" + "g" * 64,
        "sha256=",
        "\x00" * 71,
    ):
        assert not signature_is_valid(BODY, header, "s3cret"), header
        assert claimed_digest(header) is None, header


def test_uppercase_hex_and_surrounding_blanks_are_the_same_digest() -> None:
    good = expected_signature(BODY, "s3cret")
    assert signature_is_valid(BODY, " sha256=" + good[7:].upper() + " ", "s3cret")


def test_the_streaming_hmac_equals_the_one_shot_hmac() -> None:
    streaming = StreamingSignature("s3cret")
    for start in range(0, len(BODY), 5):
        streaming.update(BODY[start : start + 5])
    claimed = claimed_digest(expected_signature(BODY, "s3cret"))
    assert claimed is not None and streaming.matches(claimed)
    assert not streaming.matches(bytes(32))

"""The pure signature check: only the exact HMAC of the exact body under the secret passes."""

from webhooks.signature import expected_signature, signature_is_valid

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

"""Tests that error signatures ignore volatile details and still tell different errors apart."""

from dataclasses import replace

import pytest

from bot.analysis.failures import Failure, Frame
from bot.analysis.signature import normalize_message, signature


def make(exc="KeyError", message="'user_id'", file="app/users.py", line=42, function="lookup"):
    return Failure("tests/test_users.py::test_lookup", exc, message, [Frame(file, line, function)])


BASE = make()


@pytest.mark.parametrize(
    "variant",
    [
        make(line=57),
        make(file="/home/runner/work/shop/shop/app/users.py"),
        make(file="/tmp/pytest-of-root/pytest-3/test0/app/users.py"),
        replace(make(), test_id="tests/test_other.py::test_lookup_twice"),
    ],
)
def test_signature_is_stable_when_location_details_change(variant):
    assert signature(variant) == signature(BASE)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("<object at 0x7f3a2b1c9d10>", "<object at 0x7f00deadbeef>"),
        ("expired at 2024-05-14T10:21:30.137Z", "expired at 2025-01-02T00:00:01Z"),
        ("cannot read /tmp/tmpab12cd/data.json", "cannot read /tmp/tmpzz99yy/data.json"),
        ("expected 3 items, got 4", "expected 10 items, got 11"),
        ('File "/a/b/c/mod.py", line 12', 'File "/x/y/mod.py", line 99'),
        (
            "request 1f0e2a6c-9a1b-4c4d-8e8f-0a1b2c3d4e5f failed",
            "request 00000000-1111-2222-3333-444444444444 failed",
        ),
    ],
)
def test_volatile_parts_of_messages_are_ignored(first, second):
    assert normalize_message(first) == normalize_message(second)
    assert signature(make(exc="ValueError", message=first)) == signature(
        make(exc="ValueError", message=second)
    )


@pytest.mark.parametrize(
    "different",
    [
        make(exc="IndexError"),
        make(function="lookup_many"),
        make(message="'order_id'"),
        make(file="app/orders.py"),
    ],
)
def test_signature_changes_with_type_function_file_or_message(different):
    assert signature(different) != signature(BASE)


def test_signature_is_a_sha256_hex_digest_and_module_prefix_of_the_type_does_not_matter():
    digest = signature(BASE)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert signature(make(exc="builtins.KeyError")) == digest


def test_frames_outside_the_repository_do_not_count():
    with_library = replace(
        BASE,
        frames=[
            *BASE.frames,
            Frame("/usr/lib/python3.11/json/decoder.py", 337, "decode", in_repo=False),
        ],
    )
    assert signature(with_library) == signature(BASE)

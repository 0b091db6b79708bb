"""Sealing and verifying: the HMAC chain, the Ed25519 signature, and tampering anywhere."""

from __future__ import annotations

import json
import random

import pytest

from bot.traces import chain, signing
from bot.traces.integrity import seal, verify_document
from bot.traces.local_source import reconstruct_local
from bot.traces.service import judge_and_seal

SECRET = b"test-trace-secret"


@pytest.fixture
def sealed(good_repo, trace_settings):
    repo, shas = good_repo
    trace = reconstruct_local(repo, shas["base"], shas["more_tests"])
    return judge_and_seal(trace, trace_settings, None)


@pytest.fixture
def public_key(trace_settings):
    return signing.load_or_create_signing_key(trace_settings).public_key()


def _document(trace):
    return json.loads(trace.model_dump_json(indent=2))


def test_sealed_trace_verifies_with_secret_and_with_public_key_alone(sealed, public_key):
    document = _document(sealed)
    assert verify_document(document, secret=SECRET).ok
    assert verify_document(document, public_key=public_key).ok
    both = verify_document(document, secret=SECRET, public_key=public_key)
    assert both.ok and both.checked == ("signature", "hmac-chain")


def test_chain_follows_the_documented_formula(sealed):
    document = _document(sealed)
    import hashlib
    import hmac

    previous = bytes.fromhex(
        hashlib.sha256(f"truth-trace-v1:{sealed.trace_id}".encode()).hexdigest()
    )
    for event, stored in zip(document["events"], document["integrity"]["chain"], strict=True):
        body = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        previous = hmac.new(SECRET, previous + body.encode(), "sha256").digest()
        assert previous.hex() == stored
    assert previous.hex() == document["integrity"]["event_hash_chain"]


def test_wrong_secret_fails_on_the_first_event(sealed):
    result = verify_document(_document(sealed), secret=b"other")
    assert not result.ok and result.first_bad_seq == 0


@pytest.mark.parametrize("mode", ["secret", "public_key"])
def test_changing_any_event_names_that_event(sealed, public_key, mode):
    keys = {"secret": SECRET} if mode == "secret" else {"public_key": public_key}
    for seq in range(len(sealed.events)):
        document = _document(sealed)
        document["events"][seq]["ts_client"] += 1
        result = verify_document(document, **keys)
        assert not result.ok
        assert result.first_bad_seq == seq
        assert result.event_id == document["events"][seq]["id"]
        assert f"seq {seq}" in result.reason


@pytest.mark.parametrize("mode", ["secret", "public_key"])
def test_changing_the_header_or_qa_is_detected(sealed, public_key, mode):
    keys = {"secret": SECRET} if mode == "secret" else {"public_key": public_key}
    for mutate in (
        lambda d: d["repo"].__setitem__("name", "someone-else"),
        lambda d: d["qa"]["judge"]["scores"].__setitem__("overall", 5.0),
        lambda d: d["metrics"].__setitem__("redactions", 0),
    ):
        document = _document(sealed)
        mutate(document)
        result = verify_document(document, **keys)
        assert not result.ok and "header" in result.reason


def test_a_forged_signature_from_another_key_is_rejected(sealed, public_key):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = seal(sealed, SECRET, Ed25519PrivateKey.generate())
    result = verify_document(_document(forged), public_key=public_key)
    assert not result.ok and "not by the key given" in result.reason


def test_rewriting_digests_without_the_private_key_breaks_the_signature(sealed, public_key):
    document = _document(sealed)
    document["events"][2]["file_path"] = "evil.py"
    document["integrity"]["event_digests"] = chain.event_digests(document["events"])
    result = verify_document(document, public_key=public_key)
    assert not result.ok and "signature invalid" in result.reason


def test_seq_gaps_and_duplicates_are_rejected(sealed):
    document = _document(sealed)
    del document["events"][3]
    result = verify_document(document, secret=SECRET)
    assert not result.ok and "seq gap" in result.reason and "expected seq 3" in result.reason
    document = _document(sealed)
    document["events"][4]["seq"] = 3
    assert "duplicate" in verify_document(document, secret=SECRET).reason


def _flip_outcomes(raw: bytes, positions, public_key) -> dict[str, int]:
    """Flip the low bit at each position: the JSON breaks, or verification must fail."""
    outcomes = {"unreadable": 0, "tampered": 0}
    for position in positions:
        flipped = bytearray(raw)
        flipped[position] ^= 0x01
        try:
            document = json.loads(bytes(flipped))
        except (json.JSONDecodeError, UnicodeDecodeError):
            outcomes["unreadable"] += 1
            continue
        if not isinstance(document, dict) or not isinstance(document.get("integrity"), dict):
            outcomes["unreadable"] += 1
            continue
        result = verify_document(document, secret=SECRET, public_key=public_key)
        assert not result.ok, (
            f"flip at byte {position} went unnoticed: {raw[position - 30 : position + 10]!r}"
        )
        outcomes["tampered"] += 1
    return outcomes


def test_sampled_single_byte_flips_are_caught(sealed, public_key):
    raw = sealed.model_dump_json(indent=2).encode()
    positions = random.Random(1234).sample(range(len(raw)), 300)
    assert _flip_outcomes(raw, positions, public_key)["tampered"] > 200


@pytest.mark.slow
def test_every_single_byte_flip_in_the_file_is_caught(sealed, public_key):
    raw = sealed.model_dump_json(indent=2).encode()
    outcomes = _flip_outcomes(raw, range(len(raw)), public_key)
    assert outcomes["tampered"] > len(raw) // 2


def test_an_altered_signature_block_is_caught(sealed, public_key):
    for mutate in (
        lambda s: s.__setitem__("algorithm", "rsa"),
        lambda s: s.__setitem__("note", "x"),
        lambda s: s.__setitem__("value", s["value"][:-4] + "AAA="),
    ):
        document = _document(sealed)
        mutate(document["integrity"]["signature"])
        assert not verify_document(document, public_key=public_key).ok


def test_seal_rejects_events_with_holes():
    from bot.traces.chain import ChainError, compute_chain

    with pytest.raises(ChainError, match="expected seq 1, found 2"):
        compute_chain(SECRET, "trace-x", [{"seq": 0, "id": "a"}, {"seq": 2, "id": "b"}])

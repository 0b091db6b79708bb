"""Seal a finished trace (chain + signature) and verify one with a secret and/or a public key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bot.traces import chain, signing
from bot.traces.canonical import canonical_json, sha256_hex
from bot.traces.schema import Integrity, Signature, Trace, schema_hash


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    first_bad_seq: int | None
    reason: str
    event_id: str | None = None
    checked: tuple[str, ...] = ()


def seal(trace: Trace, secret: bytes, signer: Ed25519PrivateKey | None) -> Trace:
    """Return a copy of `trace` with `integrity` filled; call it last, after QA."""
    # Re-validating applies every normalization (float rounding) that attribute assignment
    # skipped, so the stored JSON parses back to exactly what was hashed.
    sealed = Trace.model_validate(trace.model_dump(mode="json", exclude={"integrity"}))
    document = sealed.model_dump(mode="json")
    events = document["events"]
    hashes = chain.compute_chain(secret, sealed.trace_id, events)
    head = hashes[-1] if hashes else chain.genesis(sealed.trace_id)
    integrity = Integrity(
        schema_hash=schema_hash(),
        genesis=chain.genesis(sealed.trace_id),
        event_hash_chain=head,
        chain=hashes,
        event_digests=chain.event_digests(events),
        header_sha256=sha256_hex(canonical_json(chain.header_of(document))),
        header_hmac=chain.header_hmac(secret, head, document),
    )
    if signer is not None:
        message = chain.manifest(sealed.trace_id, integrity.model_dump(mode="json"))
        integrity.signature = Signature(
            key_id=signing.key_id(signer.public_key()), value=signing.sign(signer, message)
        )
    sealed.integrity = integrity
    return sealed


def _event_failure(events: list[dict[str, Any]], seq: int, why: str) -> VerifyResult:
    event = events[seq] if seq < len(events) else {}
    event_id = event.get("id") if isinstance(event, dict) else None
    return VerifyResult(
        False, seq, f"event seq {seq} (id {event_id}) {why}", event_id=str(event_id)
    )


def verify_document(
    document: dict[str, Any],
    secret: bytes | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> VerifyResult:
    """Check a trace as parsed from JSON (not re-serialized, so every stored byte counts)."""
    if secret is None and public_key is None:
        raise ValueError("need the trace secret or the public key to verify anything")
    integrity = document.get("integrity")
    events = document.get("events")
    trace_id = document.get("trace_id")
    if not isinstance(integrity, dict) or not isinstance(events, list) or not trace_id:
        return VerifyResult(
            False, None, "not a sealed trace: integrity, events or trace_id missing"
        )
    try:
        chain.check_sequence(events)
    except chain.ChainError as exc:
        return VerifyResult(False, None, str(exc))
    if integrity.get("schema_hash") != schema_hash():
        return VerifyResult(False, None, "schema_hash does not match trace schema v1")
    if integrity.get("genesis") != chain.genesis(str(trace_id)):
        return VerifyResult(False, None, "genesis does not match the trace_id (trace_id altered?)")
    checked: list[str] = []
    if public_key is not None:
        result = _verify_signed(document, integrity, events, public_key)
        if not result.ok:
            return result
        checked.append("signature")
    if secret is not None:
        result = _verify_chain(document, integrity, events, secret)
        if not result.ok:
            return result
        checked.append("hmac-chain")
    return VerifyResult(True, None, f"intact ({len(events)} events)", checked=tuple(checked))


def _verify_signed(
    document: dict[str, Any],
    integrity: dict[str, Any],
    events: list[dict[str, Any]],
    public_key: Ed25519PublicKey,
) -> VerifyResult:
    signature = integrity.get("signature")
    if not isinstance(signature, dict):
        return VerifyResult(False, None, "trace is not signed; verify it with the secret instead")
    # The signature block is outside what it signs, so its shape is checked exactly.
    if set(signature) != {"algorithm", "key_id", "value"} or signature["algorithm"] != "ed25519":
        return VerifyResult(False, None, "signature block altered: expected ed25519 with "
                            "exactly algorithm, key_id and value")  # fmt: skip
    if signature.get("key_id") != signing.key_id(public_key):
        return VerifyResult(
            False,
            None,
            f"signed by key {signature.get('key_id')!r}, not by the key given "
            f"({signing.key_id(public_key)}); fetch the right key from /v1/keys",
        )
    message = chain.manifest(str(document["trace_id"]), integrity)
    if not signing.signature_valid(public_key, message, str(signature.get("value", ""))):
        return VerifyResult(False, None, "signature invalid: the integrity block was altered")
    digests = integrity.get("event_digests")
    if not isinstance(digests, list) or len(digests) != len(events):
        return VerifyResult(False, None, "signed digest list does not match the number of events")
    for seq, (event, digest) in enumerate(zip(events, digests, strict=True)):
        if sha256_hex(canonical_json(event)) != digest:
            return _event_failure(events, seq, "differs from its signed digest")
    if sha256_hex(canonical_json(chain.header_of(document))) != integrity.get("header_sha256"):
        return VerifyResult(False, None, "trace header (fields outside events) was altered")
    return VerifyResult(True, None, "signature ok")


def _verify_chain(
    document: dict[str, Any],
    integrity: dict[str, Any],
    events: list[dict[str, Any]],
    secret: bytes,
) -> VerifyResult:
    stored = integrity.get("chain")
    if not isinstance(stored, list) or len(stored) != len(events):
        return VerifyResult(False, None, "chain length does not match the number of events")
    previous = str(integrity["genesis"])
    for seq, event in enumerate(events):
        try:
            expected = chain.link(secret, previous, event)
        except ValueError:
            return _event_failure(events, seq, "has a malformed previous link")
        if expected != stored[seq]:
            return _event_failure(events, seq, "breaks the HMAC chain (event or link altered)")
        previous = str(stored[seq])
    if previous != integrity.get("event_hash_chain", chain.genesis(str(document["trace_id"]))):
        return VerifyResult(False, None, "event_hash_chain (chain head) was altered")
    if chain.header_hmac(secret, previous, document) != integrity.get("header_hmac"):
        return VerifyResult(False, None, "trace header (fields outside events) was altered")
    return VerifyResult(True, None, "chain ok")

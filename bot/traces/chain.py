"""The HMAC-SHA256 event chain and the signed manifest that seal a trace.

Chain (secret holders):
    genesis = SHA-256("truth-trace-v1:" + trace_id)            (32 bytes, public)
    h_n     = HMAC-SHA256(secret, h_{n-1} || canonical_json(event_n)),  h_{-1} = genesis
    header_hmac = HMAC-SHA256(secret, h_N || canonical_json(header))
where `header` is the trace document without `events` and `integrity`, and event_n is the
event's JSON object exactly as stored. `integrity.chain[n]` keeps h_n (hex) so a verifier can
name the first event whose link breaks.

Signature (anyone with the public key): Ed25519 over canonical_json(manifest), where
    manifest = {"trace_id": ..., "integrity": <integrity block without "signature">}
The integrity block lists SHA-256(canonical_json(event_n)) for every event and the SHA-256 of
the header, so once the signature checks out, each event and the header are compared with
their signed digests and the first mismatch is named.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from bot.traces.canonical import canonical_json, sha256_hex

GENESIS_PREFIX = "truth-trace-v1:"
NOT_IN_HEADER = ("events", "integrity")


class ChainError(ValueError):
    """The events cannot be chained as given (wrong order, gap or duplicate seq)."""


def genesis(trace_id: str) -> str:
    return sha256_hex((GENESIS_PREFIX + trace_id).encode("utf-8"))


def link(secret: bytes, previous_hex: str, event: dict[str, Any]) -> str:
    return hmac.new(
        secret, bytes.fromhex(previous_hex) + canonical_json(event), "sha256"
    ).hexdigest()


def header_of(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in NOT_IN_HEADER}


def header_hmac(secret: bytes, head_hex: str, document: dict[str, Any]) -> str:
    payload = bytes.fromhex(head_hex) + canonical_json(header_of(document))
    return hmac.new(secret, payload, "sha256").hexdigest()


def check_sequence(events: list[dict[str, Any]]) -> None:
    """Seqs must be exactly 0..N-1 in order; anything else names the first offender."""
    for position, event in enumerate(events):
        seq = event.get("seq")
        if seq != position:
            kind = "duplicate" if isinstance(seq, int) and seq < position else "gap"
            raise ChainError(
                f"seq {kind} at position {position}: expected seq {position}, found {seq!r} "
                f"(event id {event.get('id')!r}); events must be numbered 0..N-1 without holes"
            )


def compute_chain(secret: bytes, trace_id: str, events: list[dict[str, Any]]) -> list[str]:
    check_sequence(events)
    previous = genesis(trace_id)
    hashes = []
    for event in events:
        previous = link(secret, previous, event)
        hashes.append(previous)
    return hashes


def event_digests(events: list[dict[str, Any]]) -> list[str]:
    return [hashlib.sha256(canonical_json(e)).hexdigest() for e in events]


def manifest(trace_id: str, integrity: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in integrity.items() if k != "signature"}
    return canonical_json({"trace_id": trace_id, "integrity": unsigned})

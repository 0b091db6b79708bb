"""Ed25519 key pair for trace signatures: kept under the state dir, public half shareable."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bot.errors import ConfigError
from bot.settings import Settings

KEY_FILE_NAME = "trace-signing-key.pem"


def key_path(settings: Settings) -> Path:
    return settings.trace_signing_key_path or settings.state_dir / KEY_FILE_NAME


def load_or_create_signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The server's signing key; created (mode 0600) on first use."""
    path = key_path(settings)
    if path.exists():
        return load_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_private_key(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"Trace signing key {path} cannot be read ({exc}); fix its permissions or delete "
            "it to have a new one generated (traces signed with the old key then fail to verify)."
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(
            f"Trace signing key {path} is not an Ed25519 key; delete it or replace it."
        )
    return key


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def public_key_document(public_key: Ed25519PublicKey) -> dict[str, str]:
    """What GET /v1/keys serves: enough to verify a trace without our secret."""
    pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return {
        "algorithm": "ed25519",
        "key_id": key_id(public_key),
        "public_key": base64.b64encode(raw_public(public_key)).decode(),
        "pem": pem,
    }


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Accept a PEM public key or the base64 of the 32 raw bytes (as /v1/keys serves)."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except ValueError as exc:
        raise ValueError(
            f"not an Ed25519 public key ({exc}); pass the PEM or the base64 'public_key' "
            "field served at /v1/keys"
        ) from exc


def sign(private_key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(private_key.sign(message)).decode()


def signature_valid(public_key: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True

"""Artifact blob store: content addressed by SHA-256, checked on every read; local or S3."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from bot.errors import ConfigError
from bot.traces.schema import ArtifactRef

if TYPE_CHECKING:
    from bot.settings import Settings

FILE_SCHEME = "blob://sha256/"


class BlobError(ValueError):
    """A blob is missing, or its bytes no longer match the SHA-256 it was stored under."""


class BlobStore(Protocol):
    """Put by content, get with a hash check; the URI is the same whichever store holds it."""

    def put(self, data: bytes, media_type: str = "text/plain") -> ArtifactRef: ...

    def get(self, uri: str, sha256: str) -> bytes: ...

    def delete(self, sha256: str) -> bool: ...


def _ref(data: bytes, media_type: str) -> tuple[str, ArtifactRef]:
    digest = hashlib.sha256(data).hexdigest()
    ref = ArtifactRef(
        uri=FILE_SCHEME + digest, sha256=digest, size=len(data), media_type=media_type
    )
    return digest, ref


def _checked(uri: str, sha256: str) -> None:
    if not uri.startswith(FILE_SCHEME) or uri.removeprefix(FILE_SCHEME) != sha256:
        raise BlobError(f"{uri} is not a blob of this store for sha256 {sha256}")


def _verified(data: bytes, sha256: str) -> bytes:
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise BlobError(
            f"blob {sha256} is corrupt: its bytes hash to {actual}; restore it from a backup"
        )
    return data


class FileBlobStore:
    """Blobs as files under `root/ab/abcdef…`; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes, media_type: str = "text/plain") -> ArtifactRef:
        digest, ref = _ref(data, media_type)
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        return ref

    def get(self, uri: str, sha256: str) -> bytes:
        _checked(uri, sha256)
        try:
            data = self._path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobError(f"blob {sha256} is not stored (purged, or uploaded elsewhere)") from exc
        return _verified(data, sha256)

    def delete(self, sha256: str) -> bool:
        try:
            self._path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True


class S3BlobStore:
    """Blobs as objects `prefix/ab/abcdef…` in a bucket of any S3-compatible server, so web
    and workers on many machines share them; the same hash check on every read."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def _key(self, digest: str) -> str:
        return "/".join(part for part in (self.prefix, digest[:2], digest) if part)

    def _missing(self, exc: ClientError) -> bool:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def put(self, data: bytes, media_type: str = "text/plain") -> ArtifactRef:
        digest, ref = _ref(data, media_type)
        # Content addressed: an object already there holds these bytes; one PUT is atomic anyway.
        self.client.put_object(
            Bucket=self.bucket, Key=self._key(digest), Body=data, ContentType=media_type
        )
        return ref

    def get(self, uri: str, sha256: str) -> bytes:
        _checked(uri, sha256)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as exc:
            if self._missing(exc):
                raise BlobError(
                    f"blob {sha256} is not in s3://{self.bucket}/{self.prefix} (purged, or "
                    "uploaded to another store)"
                ) from exc
            raise
        return _verified(answer["Body"].read(), sha256)

    def delete(self, sha256: str) -> bool:
        key = self._key(sha256)
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if self._missing(exc):
                return False
            raise
        self.client.delete_object(Bucket=self.bucket, Key=key)
        return True


def default_store(state_dir: Path) -> FileBlobStore:
    return FileBlobStore(state_dir / "blobs")


def store_from_settings(settings: Settings) -> BlobStore:
    """TRUTH_BLOB_STORE_URL: unset (files under the state dir), file:///path, or s3://bucket/prefix."""
    url = settings.blob_store_url
    if not url:
        return default_store(settings.state_dir)
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.path:
        return FileBlobStore(Path(parts.path))
    if parts.scheme == "s3" and parts.netloc:
        import boto3

        secret = settings.s3_secret_access_key
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
        )
        return S3BlobStore(client, parts.netloc, parts.path)
    raise ConfigError(
        f"TRUTH_BLOB_STORE_URL={url!r} is not a blob store: use s3://bucket/prefix (with "
        "TRUTH_S3_ENDPOINT_URL for a non-AWS server) or file:///absolute/path, or unset it "
        "to keep blobs under TRUTH_STATE_DIR."
    )

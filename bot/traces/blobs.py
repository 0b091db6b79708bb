"""Artifact blob store: content addressed by SHA-256, checked on every read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from bot.traces.schema import ArtifactRef

FILE_SCHEME = "blob://sha256/"


class BlobError(ValueError):
    """A blob is missing, or its bytes no longer match the SHA-256 it was stored under."""


class BlobStore(Protocol):
    """What an S3-compatible store would implement: put by content, get with a hash check."""

    def put(self, data: bytes, media_type: str = "text/plain") -> ArtifactRef: ...

    def get(self, uri: str, sha256: str) -> bytes: ...


class FileBlobStore:
    """Blobs as files under `root/ab/abcdef…`; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes, media_type: str = "text/plain") -> ArtifactRef:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        return ArtifactRef(uri=FILE_SCHEME + digest, sha256=digest, size=len(data),
                           media_type=media_type)  # fmt: skip

    def get(self, uri: str, sha256: str) -> bytes:
        if not uri.startswith(FILE_SCHEME) or uri.removeprefix(FILE_SCHEME) != sha256:
            raise BlobError(f"{uri} is not a blob of this store for sha256 {sha256}")
        try:
            data = self._path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise BlobError(f"blob {sha256} is not stored (purged, or uploaded elsewhere)") from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise BlobError(
                f"blob {sha256} is corrupt: its bytes hash to {actual}; restore it from a backup"
            )
        return data

    def delete(self, sha256: str) -> bool:
        try:
            self._path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True


def default_store(state_dir: Path) -> FileBlobStore:
    return FileBlobStore(state_dir / "blobs")

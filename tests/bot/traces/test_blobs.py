"""The file blob store: content addressed, atomic, and checked on every read."""

from __future__ import annotations

import hashlib

import pytest

from bot.traces.blobs import BlobError, FileBlobStore


def test_put_returns_uri_and_hash_and_get_returns_the_bytes(tmp_path):
    store = FileBlobStore(tmp_path)
    ref = store.put(b"pytest output\n", "text/plain")
    assert ref.sha256 == hashlib.sha256(b"pytest output\n").hexdigest()
    assert ref.uri.endswith(ref.sha256) and ref.size == 14
    assert store.get(ref.uri, ref.sha256) == b"pytest output\n"
    assert store.put(b"pytest output\n") == ref


def test_a_corrupted_blob_is_an_error_on_read(tmp_path):
    store = FileBlobStore(tmp_path)
    ref = store.put(b"original")
    (tmp_path / ref.sha256[:2] / ref.sha256).write_bytes(b"originaL")
    with pytest.raises(BlobError, match="corrupt"):
        store.get(ref.uri, ref.sha256)


def test_missing_or_mismatched_references_are_errors(tmp_path):
    store = FileBlobStore(tmp_path)
    ref = store.put(b"x")
    with pytest.raises(BlobError, match="not a blob of this store"):
        store.get(ref.uri, "0" * 64)
    assert store.delete(ref.sha256)
    with pytest.raises(BlobError, match="not stored"):
        store.get(ref.uri, ref.sha256)

"""The S3 blob store against a real S3-compatible server (moto's, run here as a process)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest

from bot.errors import ConfigError
from bot.settings import Settings
from bot.traces.blobs import BlobError, FileBlobStore, S3BlobStore, store_from_settings

BUCKET = "truth-blobs"
CREDENTIALS = {"aws_access_key_id": "test-key-id", "aws_secret_access_key": "test-secret-key"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
        s3.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def client(s3_endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)


def test_put_and_get_round_trip_with_the_same_uri_as_the_file_store(client, tmp_path) -> None:
    store = S3BlobStore(client, BUCKET, "traces/")
    ref = store.put(b"pytest output\n", "text/plain")
    assert ref == FileBlobStore(tmp_path).put(b"pytest output\n", "text/plain")
    assert store.get(ref.uri, ref.sha256) == b"pytest output\n"
    assert store.put(b"pytest output\n") == ref  # content addressed: a second put is the same
    stored = client.get_object(Bucket=BUCKET, Key=f"traces/{ref.sha256[:2]}/{ref.sha256}")
    assert stored["ContentType"] == "text/plain"


def test_another_machine_reads_what_one_machine_wrote(s3_endpoint: str, tmp_path) -> None:
    def machine(name: str) -> Settings:
        return Settings(
            state_dir=tmp_path / name,
            blob_store_url=f"s3://{BUCKET}/shared",
            s3_endpoint_url=s3_endpoint,
            s3_access_key_id=CREDENTIALS["aws_access_key_id"],
            s3_secret_access_key=CREDENTIALS["aws_secret_access_key"],
        )  # type: ignore[arg-type]

    writer, reader = store_from_settings(machine("web")), store_from_settings(machine("worker"))
    assert isinstance(writer, S3BlobStore)
    ref = writer.put(b"proof bytes", "application/json")
    assert reader.get(ref.uri, ref.sha256) == b"proof bytes"
    assert not (tmp_path / "web" / "blobs").exists()


def test_a_corrupted_object_is_an_error_on_read(client) -> None:
    store = S3BlobStore(client, BUCKET, "corrupt")
    ref = store.put(b"original")
    client.put_object(Bucket=BUCKET, Key=f"corrupt/{ref.sha256[:2]}/{ref.sha256}", Body=b"x")
    with pytest.raises(BlobError, match="corrupt"):
        store.get(ref.uri, ref.sha256)


def test_missing_blobs_and_foreign_uris_are_errors_and_delete_reports(client) -> None:
    store = S3BlobStore(client, BUCKET, "gone")
    ref = store.put(b"short-lived")
    with pytest.raises(BlobError, match="not a blob of this store"):
        store.get("https://elsewhere/x", ref.sha256)
    assert store.delete(ref.sha256) is True
    assert store.delete(ref.sha256) is False
    with pytest.raises(BlobError, match="not in s3://truth-blobs/gone"):
        store.get(ref.uri, ref.sha256)


def test_store_choice_follows_the_setting(tmp_path) -> None:
    assert isinstance(store_from_settings(Settings(state_dir=tmp_path)), FileBlobStore)
    chosen = store_from_settings(
        Settings(state_dir=tmp_path, blob_store_url=f"file://{tmp_path / 'elsewhere'}")
    )
    assert isinstance(chosen, FileBlobStore) and chosen.root == tmp_path / "elsewhere"
    with pytest.raises(ConfigError, match="s3://bucket/prefix"):
        store_from_settings(Settings(state_dir=tmp_path, blob_store_url="ftp://x/y"))

"""Output capping and trailer splitting, byte by byte."""

import pytest

from runner.output import CappedBuffer, TrailerSplitter


def test_capped_buffer_keeps_the_head_and_marks_truncation() -> None:
    buffer = CappedBuffer(10)
    for _ in range(1000):
        buffer.write(b"abcdefgh")
    assert buffer.getvalue() == b"abcdefghab"
    assert buffer.truncated
    assert buffer.total == 8000
    assert "7990 more bytes not kept" in buffer.text()


def test_capped_buffer_under_the_limit_is_untouched() -> None:
    buffer = CappedBuffer(100)
    buffer.write("héllo".encode())
    assert not buffer.truncated
    assert buffer.text() == "héllo"


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 64])
def test_marker_split_across_chunks_is_found(chunk_size: int) -> None:
    stream = b"user output\nmore" + b"\nMARK-123" + b"\n0 none -\ntrailer-data\n"
    user, trailer = CappedBuffer(1000), CappedBuffer(1000)
    splitter = TrailerSplitter(b"\nMARK-123", user, trailer)
    for start in range(0, len(stream), chunk_size):
        splitter.feed(stream[start : start + chunk_size])
    splitter.close()
    assert splitter.found
    assert user.getvalue() == b"user output\nmore"
    assert trailer.getvalue() == b"\n0 none -\ntrailer-data\n"


def test_without_marker_everything_is_user_output() -> None:
    user, trailer = CappedBuffer(1000), CappedBuffer(1000)
    splitter = TrailerSplitter(b"\nMARK", user, trailer)
    splitter.feed(b"hello\nMAR")
    splitter.close()
    assert not splitter.found
    assert user.getvalue() == b"hello\nMAR"
    assert trailer.getvalue() == b""


def test_trailer_survives_capped_user_output() -> None:
    user, trailer = CappedBuffer(4), CappedBuffer(1000)
    splitter = TrailerSplitter(b"\nEND", user, trailer)
    splitter.feed(b"x" * 10_000 + b"\nEND\n3 applied git-apply\n")
    splitter.close()
    assert user.truncated and user.getvalue() == b"xxxx"
    assert trailer.getvalue() == b"\n3 applied git-apply\n"

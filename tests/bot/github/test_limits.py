"""Sizes are counted in UTF-8 bytes and clipping never splits a character."""

from __future__ import annotations

from bot.github.limits import COMMENT_BYTES, batches, clip, utf8_len


def test_text_within_the_limit_is_untouched() -> None:
    assert clip("é" * 10, 20) == "é" * 10


def test_multibyte_text_is_clipped_by_bytes_with_a_link() -> None:
    text = "é" * 40_000  # 80,000 bytes, 40,000 characters: under a character count limit
    clipped = clip(text, COMMENT_BYTES, "https://truth.example/sessions/s1")
    assert utf8_len(clipped) <= COMMENT_BYTES
    assert clipped.startswith("éé") and "https://truth.example/sessions/s1" in clipped
    clipped.encode().decode()  # whole characters only


def test_tail_clipping_keeps_the_last_lines() -> None:
    text = "".join(f"line {i}\n" for i in range(20_000))
    clipped = clip(text, 1_000, keep="tail")
    assert utf8_len(clipped) <= 1_000 and clipped.endswith("line 19999\n")


def test_batches_of_fifty() -> None:
    assert [len(b) for b in batches(list(range(120)))] == [50, 50, 20]


def test_the_check_run_console_stays_fenced_and_under_the_byte_limit() -> None:
    from bot.github.comments import CHECK_TEXT_LIMIT, console_text

    lines = ["```python", "print('é' * 3)", "````"] + [f"ligne é {i}" for i in range(20_000)]
    text = console_text(lines, "https://truth.example/sessions/s1")
    assert len(text.encode()) <= CHECK_TEXT_LIMIT
    assert text.startswith("`````\n") and text.endswith("ligne é 19999\n`````")

"""GitHub's size limits, counted in UTF-8 bytes, and clipping that links to the full text."""

from __future__ import annotations

CHECK_OUTPUT_BYTES = 65_535  # a check run's output.summary and output.text
COMMENT_BYTES = 65_536  # an issue comment, a review body, a review comment
ANNOTATIONS_PER_REQUEST = 50


def utf8_len(text: str) -> int:
    return len(text.encode())


def _head_bytes(text: str, budget: int) -> str:
    return text.encode()[: max(budget, 0)].decode(errors="ignore")


def _tail_bytes(text: str, budget: int) -> str:
    data = text.encode()
    return data[len(data) - max(budget, 0) :].decode(errors="ignore") if budget > 0 else ""


def clip(text: str, limit: int, url: str | None = None, *, keep: str = "head") -> str:
    """`text` cut to `limit` UTF-8 bytes, never inside a character, saying where the rest is.

    keep="tail" keeps the end (console output: the last lines matter most).
    """
    if utf8_len(text) <= limit:
        return text
    where = f" The full text: {url}" if url else ""
    note = f"\n\n… (clipped to fit GitHub's {limit:,}-byte limit.{where})\n\n"
    budget = limit - utf8_len(note)
    if keep == "tail":
        return note.lstrip("\n") + _tail_bytes(text, budget - 2)
    return _head_bytes(text, budget) + note.rstrip("\n")


def batches(items: list[object], size: int = ANNOTATIONS_PER_REQUEST) -> list[list[object]]:
    return [items[start : start + size] for start in range(0, len(items), size)]

"""Capped capture of a container's output, and the split of stdout from the runner's trailer."""

from __future__ import annotations

TRUNCATION_NOTE = "\n[… output truncated by Truth Engine: {dropped} more bytes not kept …]\n"


class CappedBuffer:
    """Keeps the first `limit` bytes written and counts the rest, so huge output costs no memory."""

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self._chunks: list[bytes] = []
        self.kept = 0
        self.total = 0

    def write(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - self.kept
        if room > 0:
            piece = data[:room]
            self._chunks.append(piece)
            self.kept += len(piece)

    @property
    def truncated(self) -> bool:
        return self.total > self.kept

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)

    def text(self) -> str:
        body = self.getvalue().decode("utf-8", "replace")
        if self.truncated:
            body += TRUNCATION_NOTE.format(dropped=self.total - self.kept)
        return body


class TrailerSplitter:
    """Routes stdout before `marker` to the user's buffer and everything after it to the trailer."""

    def __init__(self, marker: bytes, user: CappedBuffer, trailer: CappedBuffer) -> None:
        if not marker:
            raise ValueError("marker must not be empty")
        self.marker = marker
        self.user = user
        self.trailer = trailer
        self._held = b""
        self.found = False

    def feed(self, data: bytes) -> None:
        if self.found:
            self.trailer.write(data)
            return
        pending = self._held + data
        index = pending.find(self.marker)
        if index >= 0:
            self.user.write(pending[:index])
            self.trailer.write(pending[index + len(self.marker) :])
            self._held = b""
            self.found = True
            return
        # Hold back a possible marker prefix split across two chunks.
        keep = len(self.marker) - 1
        self.user.write(pending[:-keep] if keep else pending)
        self._held = pending[-keep:] if keep else b""

    def close(self) -> None:
        if not self.found:
            self.user.write(self._held)
            self._held = b""

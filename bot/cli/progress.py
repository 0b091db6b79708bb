"""`truth fix`'s live progress on a terminal: lasting lines for what was found, a spinner with
the elapsed time for what is under way, and a tally instead of one line per candidate."""

from __future__ import annotations

import re
import time

from rich.console import Console
from rich.text import Text

from bot.fix.events import FixEvent
from bot.fix.wording import plural

STAGE_STYLE = {"preparing": "dim", "deciding": "bold", "error": "bold red"}


class _Elapsed:
    """The spinner's text, re-rendered at each refresh so the seconds keep counting."""

    def __init__(self) -> None:
        self.text = "Starting…"
        self.since = time.monotonic()

    def set(self, text: str) -> None:
        self.text, self.since = text, time.monotonic()

    def __rich__(self) -> Text:
        seconds = time.monotonic() - self.since
        shown = Text(self.text, overflow="ellipsis", no_wrap=True)
        if seconds >= 2:
            shown.append(f"  {seconds:.0f} s", style="dim")
        return shown


QUICK = re.compile(r": done in 0\.\d s$")


def _detail(stage: str, message: str) -> bool:
    """A step that took no time (an image or install reused) and the install's own report
    lines that went well: worth a glance in the spinner, not a line on the screen."""
    if stage != "preparing":
        return False
    return bool(QUICK.search(message)) or message.startswith(("  ok:", "  declared:"))


class TerminalProgress:
    """A listener for the session's events. A message ending in "…" is a step under way: it
    lives in the spinner (with its time) until the step's result replaces it. Candidates are
    counted in the spinner; a verified one, and with `verbose` every one, gets a lasting line.
    The session's final message is left to the summary, so it is printed once."""

    def __init__(self, console: Console, *, verbose: bool = False) -> None:
        self._console = console
        self._verbose = verbose
        self._spinner = _Elapsed()
        self._status = console.status(self._spinner)
        self.tried = 0
        self.passed = 0

    def __enter__(self) -> TerminalProgress:
        self._status.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._status.__exit__(None, None, None)

    def _print(self, message: str, style: str = "") -> None:
        self._console.print(f"• {message}", style=style, highlight=False, markup=False)

    def __call__(self, event: FixEvent) -> None:
        message = event.message
        if not message or event.stage == "done":
            return
        if event.stage == "candidate":
            self._candidate(message, str(event.data.get("status", "")))
            return
        if not self._verbose and _detail(event.stage, message):
            self._spinner.set(message.strip())
            return
        under_way = message.endswith("…") or (
            event.stage == "generating" and not message.startswith("Engine error")
        )
        if under_way and not self._verbose:
            self._spinner.set(message if self.tried == 0 else f"{self._tally()} · {message}")
            return
        self._print(message, STAGE_STYLE.get(event.stage, ""))
        self._spinner.set(message)

    def _candidate(self, message: str, status: str) -> None:
        self.tried += 1
        if status == "verified":
            self.passed += 1
        if status == "verified" or self._verbose:
            self._print(message, "bold green" if status == "verified" else "yellow")
        self._spinner.set(f"{self._tally()} · last: {message}")

    def _tally(self) -> str:
        return f"{plural(self.tried, 'candidate')} tried, {self.passed} passed"

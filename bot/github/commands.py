"""`/truth …` comment commands, parsed (pure): the first line only, never quoted or fenced.

Rules: the command is the comment's first non-blank line and its arguments are on that line
only, so a second line is never passed on; a first line that is quoted (`>`), fenced or
indented as code is not a command; bare `/truth` and unknown names answer with help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KNOWN_COMMANDS = ("fix", "retry", "skip", "trace", "help")
# Commands anyone may run; the rest need write access.
OPEN_COMMANDS = frozenset({"help"})
SKIP_LABEL = "truth:skip"
_FIRST_LINE = re.compile(r"^/truth(?:\s+(?P<name>\S+))?(?P<args>(?:[ \t]+\S.*)?)$")
# A pytest selector: node ids, paths, -k expressions; no shell syntax.
_SELECTOR = re.compile(r"^[\w./:\[\]=,\- ]+$")


class CommandRejected(ValueError):
    """The command's argument cannot be used; the message says why and what to write."""


@dataclass(frozen=True)
class Command:
    name: str  # one of KNOWN_COMMANDS, or what the user typed when unknown
    argument: str | None = None

    @property
    def known(self) -> bool:
        return self.name in KNOWN_COMMANDS

    @property
    def needs_write_access(self) -> bool:
        return self.known and self.name not in OPEN_COMMANDS

    def test_selector(self) -> str | None:
        """For `/truth fix <selector>`: the selector, checked to be test ids, never shell."""
        if self.name != "fix" or self.argument is None:
            return None
        if not _SELECTOR.fullmatch(self.argument) or self.argument.lstrip().startswith("-"):
            raise CommandRejected(
                f"`{self.argument}` is not a test selector. Write test ids or paths, e.g. "
                "`/truth fix tests/test_cart.py::test_total`, on the command's own line."
            )
        return self.argument


def _first_line(body: str) -> str | None:
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.strip():
            return line
    return None


def parse_command(body: str | None) -> Command | None:
    """The comment's command, or None when its first line is not a `/truth` command."""
    line = _first_line(body or "")
    if line is None or line.startswith(("    ", "\t")):
        return None  # indented: a Markdown code block
    found = _FIRST_LINE.match(line.strip())
    if found is None:
        return None  # prose, a quote (`> /truth …`), a fence or inline code
    name = (found.group("name") or "help").lower()
    argument = found.group("args").strip() or None
    return Command(name=name, argument=argument)


def has_skip_label(labels: list[dict[str, object]] | None) -> bool:
    return any(label.get("name") == SKIP_LABEL for label in labels or [])

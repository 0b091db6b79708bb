"""Pure placement of a fix diff onto a PR: suggestion blocks inside the PR's hunks, else fallback.

GitHub only accepts a review comment on lines of the PR's diff (RIGHT side: context and added
lines of one hunk); anything else answers 422 and drops the whole review, so we check first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.github.limits import COMMENT_BYTES, utf8_len

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Suggestion:
    """One review comment: replace head-file lines start_line..line with `replacement`."""

    path: str
    start_line: int
    line: int
    replacement: list[str]

    def fits(self) -> bool:
        """False when the suggestion alone is over GitHub's comment limit (it goes to the diff)."""
        return utf8_len(str(self.comment()["body"])) <= COMMENT_BYTES

    def comment(self, note: str = "") -> dict[str, object]:
        content = "".join(f"{text}\n" for text in self.replacement)
        fence = suggestion_fence(content)
        body = (f"{note}\n\n" if note else "") + f"{fence}suggestion\n{content}{fence}"
        placed: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "side": "RIGHT",
            "body": body,
        }
        if self.start_line != self.line:
            placed.update(start_line=self.start_line, start_side="RIGHT")
        return placed


def suggestion_fence(content: str) -> str:
    """A backtick fence longer than any backtick run in `content` (Markdown closes on equal)."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    return "`" * max(3, longest + 1)


@dataclass
class Placement:
    suggestions: list[Suggestion] = field(default_factory=list)
    outside: list[Suggestion] = field(default_factory=list)  # changes GitHub would refuse


def commentable_ranges(patch: str) -> list[range]:
    """For each hunk of a PR file's `patch`, the RIGHT-side line numbers a comment may target."""
    ranges: list[range] = []
    start = line = 0
    in_hunk = False
    for text in patch.splitlines():
        header = _HUNK.match(text)
        if header:
            if in_hunk:
                ranges.append(range(start, line))
            start = line = int(header.group(3))
            in_hunk = True
        elif in_hunk and not text.startswith(("-", "\\")):
            line += 1
    if in_hunk:
        ranges.append(range(start, line))
    return [r for r in ranges if len(r)]


def _changes_in_file(lines: list[str], path: str) -> list[Suggestion]:
    """Each run of -/+ lines of a file's hunks, as head-file lines to replace."""
    found: list[Suggestion] = []
    old_line = 0
    previous_context: tuple[int, str] | None = None
    removed: list[int] = []
    added: list[str] = []

    def flush(next_context: tuple[int, str] | None) -> None:
        nonlocal removed, added
        if removed:
            found.append(Suggestion(path, removed[0], removed[-1], list(added)))
        elif added and previous_context is not None:
            # A pure insertion: rewrite the line above it to itself plus the new lines.
            number, text = previous_context
            found.append(Suggestion(path, number, number, [text, *added]))
        elif added and next_context is not None:
            number, text = next_context
            found.append(Suggestion(path, number, number, [*added, text]))
        removed, added = [], []

    for text in lines:
        header = _HUNK.match(text)
        if header:
            flush(None)
            old_line = int(header.group(1))
            previous_context = None
        elif text.startswith("-"):
            removed.append(old_line)
            old_line += 1
        elif text.startswith("+"):
            added.append(text[1:])
        elif text.startswith("\\"):
            continue
        else:
            context = (old_line, text[1:] if text.startswith(" ") else text)
            if removed or added:
                flush(context)
            previous_context = context
            old_line += 1
    flush(None)
    return found


def split_diff(diff: str) -> dict[str, list[str]]:
    """A unified diff's hunk lines per target path (a/ b/ prefixes stripped)."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for text in diff.splitlines():
        if text.startswith("+++ "):
            target = text[4:].split("\t")[0]
            path = target[2:] if target.startswith("b/") else target
            current = files.setdefault(path, [])
        elif text.startswith(("--- ", "diff --git", "index ")):
            continue
        elif current is not None:
            current.append(text)
    return files


def changes(fix_diff: str) -> list[Suggestion]:
    """Every change of `fix_diff` as head-file lines to replace, wherever it lies."""
    return [
        c for path, lines in split_diff(fix_diff).items() for c in _changes_in_file(lines, path)
    ]


def place_suggestions(fix_diff: str, pr_patches: dict[str, str | None]) -> Placement:
    """Put every change of `fix_diff` where GitHub accepts a suggestion, or mark it outside."""
    placement = Placement()
    for path, lines in split_diff(fix_diff).items():
        allowed = commentable_ranges(pr_patches.get(path) or "")
        for change in _changes_in_file(lines, path):
            inside = change.fits() and any(
                change.start_line in hunk and change.line in hunk for hunk in allowed
            )
            (placement.suggestions if inside else placement.outside).append(change)
    return placement

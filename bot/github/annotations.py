"""Annotations on the lines a verified fix changes, sent to the check run 50 per request."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github.client import split_repo
from bot.github.limits import ANNOTATIONS_PER_REQUEST, batches, clip

MESSAGE_BYTES = 64 * 1024  # GitHub's limit on one annotation's message


def fix_annotations(changes: list[Any], url: str) -> list[dict[str, Any]]:
    """One notice per changed range (Suggestion-like: path, start_line, line, replacement)."""
    notes = []
    for change in changes:
        replacement = "\n".join(change.replacement) or "(the lines are removed)"
        message = clip(
            f"The verified fix replaces these lines with:\n\n{replacement}", MESSAGE_BYTES, url
        )
        notes.append(
            {
                "path": change.path,
                "start_line": change.start_line,
                "end_line": change.line,
                "annotation_level": "notice",
                "title": "Truth Engine: verified fix",
                "message": message,
            }
        )
    return notes


async def annotate(
    gh: GitHub[Any],
    repository: str,
    check_run_id: int,
    notes: list[dict[str, Any]],
    output: dict[str, str],
) -> int:
    """Add `notes` to the check run in batches (GitHub takes 50 a request); returns requests."""
    owner, name = split_repo(repository)
    sent = 0
    for batch in batches(list(notes), ANNOTATIONS_PER_REQUEST):
        data: Any = {"output": {**output, "annotations": batch}}
        await gh.rest.checks.async_update(owner, name, check_run_id, data=data)
        sent += 1
    return sent

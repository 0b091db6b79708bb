"""The model's answer: its JSON object checked against the output contract and turned into diffs."""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from bot.analysis.failures import is_test_path
from bot.repair.diffs import DiffError, apply_diff_in_memory, make_diff, parse_diff


class InvalidModelOutput(ValueError):
    """The model's answer broke the output contract; the message says how, for a retry."""


@dataclass(frozen=True)
class ProposedFix:
    description: str
    diff: str


FileReader = Callable[[str], str | None]  # path relative to the repo root -> text, None if absent
FENCED = re.compile(r"^```(?:json)?\s*\n(?P<body>.*)\n```\s*$", re.S)


def extract_json_object(text: str) -> dict[str, Any]:
    """The JSON object the model answered with; a surrounding ``` fence is tolerated."""
    stripped = text.strip()
    fenced = FENCED.match(stripped)
    if fenced:
        stripped = fenced.group("body").strip()
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise InvalidModelOutput(f"the answer is not valid JSON ({exc.msg} at {exc.pos})") from exc
    if not isinstance(value, dict):
        raise InvalidModelOutput("the answer must be a JSON object, not " + type(value).__name__)
    return value


def fixes_from_answer(
    answer: dict[str, Any], read: FileReader, protected: list[str], limit: int
) -> list[ProposedFix]:
    """Validated, distinct fixes as unified diffs; raises InvalidModelOutput when none is usable."""
    patches = answer.get("patches")
    if not isinstance(patches, list) or not patches:
        raise InvalidModelOutput('"patches" must be a non-empty list')
    fixes: list[ProposedFix] = []
    problems: list[str] = []
    for number, patch in enumerate(patches, start=1):
        try:
            fix = _fix_from_patch(patch, read, protected)
        except InvalidModelOutput as exc:
            problems.append(f"patch {number}: {exc}")
            continue
        if fix.diff not in {known.diff for known in fixes}:
            fixes.append(fix)
        if len(fixes) >= limit:
            break
    if not fixes:
        raise InvalidModelOutput("; ".join(problems))
    return fixes


def _fix_from_patch(patch: Any, read: FileReader, protected: list[str]) -> ProposedFix:
    if not isinstance(patch, dict):
        raise InvalidModelOutput("each patch must be an object")
    description = patch.get("description")
    if not isinstance(description, str) or not description.strip():
        raise InvalidModelOutput('"description" must be a non-empty string')
    if isinstance(patch.get("diff"), str) and "edits" not in patch:
        return ProposedFix(description.strip(), _checked_diff(patch["diff"], read, protected))
    edits = patch.get("edits")
    if not isinstance(edits, list) or not edits:
        raise InvalidModelOutput('"edits" must be a non-empty list')
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for edit in edits:
        if not isinstance(edit, dict) or not all(
            isinstance(edit.get(key), str) for key in ("path", "search", "replace")
        ):
            raise InvalidModelOutput('each edit needs string "path", "search" and "replace"')
        path = _safe_path(edit["path"], protected)
        if path not in after:
            current = read(path)
            if current is None:
                raise InvalidModelOutput(f"{path} does not exist in the repository")
            before[path] = after[path] = current
        after[path] = _replace_once(path, after[path], edit["search"], edit["replace"])
    diff = "".join(make_diff(path, before[path], after[path]) for path in before)
    if not diff:
        raise InvalidModelOutput("the edits change nothing")
    return ProposedFix(description.strip(), diff)


def _replace_once(path: str, text: str, search: str, replace: str) -> str:
    if not search:
        raise InvalidModelOutput(f"{path}: an empty search text matches nowhere in particular")
    count = text.count(search)
    if count == 0:
        raise InvalidModelOutput(f"{path}: search text not found: {search[:80]!r}")
    if count > 1:
        raise InvalidModelOutput(f"{path}: search text occurs {count} times; add context")
    return text.replace(search, replace, 1)


def _safe_path(raw: str, protected: list[str]) -> str:
    path = raw.strip().removeprefix("./")
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or ".." in parts or "\\" in path:
        raise InvalidModelOutput(f"{raw!r} is not a path inside the repository")
    if is_test_path(path):
        raise InvalidModelOutput(f"{path} is a test file; fix the code under test instead")
    if any(fnmatch.fnmatch(path, pattern) for pattern in protected):
        raise InvalidModelOutput(f"{path} is protected by the repository config")
    return path


def _checked_diff(diff: str, read: FileReader, protected: list[str]) -> str:
    diff = diff if diff.endswith("\n") else diff + "\n"
    try:
        files: dict[str, str] = {}
        for file_patch in parse_diff(diff):
            for name in (file_patch.old_path, file_patch.new_path):
                if name is not None:
                    _safe_path(name, protected)
            if file_patch.old_path is not None:
                current = read(file_patch.old_path)
                if current is None:
                    raise InvalidModelOutput(f"{file_patch.old_path} does not exist")
                files[file_patch.old_path] = current
        apply_diff_in_memory(files, diff)
    except DiffError as exc:
        raise InvalidModelOutput(f"the diff does not apply: {exc}") from exc
    return diff

"""The structured failure every other part of the fix engine works from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    SYNTAX = "syntax"
    IMPORT = "import"
    NAME_ATTRIBUTE = "name_attribute"
    TYPE = "type"
    INDEX_KEY = "index_key"
    ASSERTION = "assertion"
    TIMEOUT_RECURSION = "timeout_recursion"
    DEPENDENCY = "dependency"
    FLAKY = "flaky"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Frame:
    """One traceback frame; `file` is relative to the repository root when it lies inside it."""

    file: str
    line: int
    function: str = ""
    code: str = ""


@dataclass
class Failure:
    test_id: str | None
    exc_type: str
    message: str
    frames: list[Frame] = field(default_factory=list)
    output: str = ""
    category: Category = Category.UNKNOWN

    @property
    def innermost_repo_frame(self) -> Frame | None:
        return self.frames[-1] if self.frames else None

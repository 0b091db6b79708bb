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
    in_repo: bool = True  # False for site-packages, the standard library and <frozen ...>

    @property
    def is_test_file(self) -> bool:
        return is_test_path(self.file)


@dataclass
class Failure:
    test_id: str | None
    exc_type: str
    message: str
    frames: list[Frame] = field(default_factory=list)
    output: str = ""
    category: Category = Category.UNKNOWN
    causes: list[Failure] = field(default_factory=list)  # chained exceptions, outermost first

    @property
    def innermost_repo_frame(self) -> Frame | None:
        """The deepest frame inside the repository, or None when every frame is outside it."""
        for frame in reversed(self.frames):
            if frame.in_repo:
                return frame
        return None

    @property
    def repo_frames(self) -> list[Frame]:
        return [frame for frame in self.frames if frame.in_repo]

    @property
    def test_texts(self) -> list[str]:
        """What the failing test itself says: the message and its own lines in the traceback
        (an assertion, a `pytest.raises(...)`)."""
        return [self.message] + [f.code for f in self.frames if is_test_path(f.file)]


def is_test_path(path: str) -> bool:
    """True for files that hold tests: never edited by a repair engine."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return (
        "tests" in parts[:-1]
        or "test" in parts[:-1]
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )

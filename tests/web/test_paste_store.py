"""A pasted bug on disk: every field checked first, the paste kept where no candidate reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from web.paste_store import PasteError, checked, paste_dir, read_paste, write_project

CODE = "def f():\n    return 1\n"
TEST = "from snippet import *\n\n\ndef test_f():\n    assert f() == 2\n"


@pytest.mark.parametrize(
    ("module", "requirements", "why"),
    [
        ("../evil.py", "", "is not a module name"),
        ("test_mine.py", "", "not starting with test"),
        ("conftest.py", "", "is not a module name"),
        ("snippet.py", "--index-url https://evil.example/simple", "options, URLs and paths"),
        ("snippet.py", "-e .", "options, URLs and paths"),
        ("snippet.py", "pkg @ https://evil.example/p.whl", "options, URLs and paths"),
        ("snippet.py", "\n".join(f"p{i}" for i in range(31)), "at most 30"),
    ],
)
def test_what_could_escape_the_sandboxes_rules_is_refused(
    module: str, requirements: str, why: str
) -> None:
    with pytest.raises(PasteError, match=why):
        checked(CODE, "", TEST, module, requirements)


def test_empty_or_huge_fields_say_what_to_do() -> None:
    with pytest.raises(PasteError, match="The reproduction is empty: write a test"):
        checked(CODE, "", "  \n", "snippet.py", "")
    with pytest.raises(PasteError, match="more than 200000; paste less"):
        checked("x" * 200_001, "", TEST, "snippet.py", "")


def test_the_project_holds_code_test_and_requirements_and_the_paste_is_kept_beside_it(
    tmp_path: Path,
) -> None:
    paste = checked(
        CODE, "Traceback…", TEST, "snippet.py", "pandas==2.2.2\nattrs[tests] >=23, <24",
        expected="AssertionError",
    )  # fmt: skip
    folder = write_project(paste, paste_dir(tmp_path, "abc123"))
    assert sorted(p.name for p in folder.iterdir()) == [
        "requirements.txt", "snippet.py", "test_reproduction.py",
    ]  # fmt: skip
    assert (folder / "requirements.txt").read_text() == "pandas==2.2.2\nattrs[tests] >=23, <24\n"
    assert read_paste(folder) == paste
    (folder / "snippet.py").write_text("changed by a candidate")
    assert read_paste(folder) is not None and read_paste(folder).code == CODE  # type: ignore[union-attr]

"""Tests for making, counting and applying unified diffs."""

import pytest

from bot.repair.diffs import (
    DiffError,
    apply_diff_in_memory,
    changed_lines,
    make_diff,
    touched_paths,
)

BEFORE = "def f(x):\n    if x < 0:\n        return 0\n    return x\n"
AFTER = "def f(x):\n    if x <= 0:\n        return 0\n    return x\n"


def test_make_diff_uses_a_b_prefixes_and_one_changed_line_each_side():
    diff = make_diff("pkg/mod.py", BEFORE, AFTER)
    assert diff.startswith("--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1,4 +1,4 @@\n")
    assert "-    if x < 0:\n+    if x <= 0:\n" in diff
    assert changed_lines(diff) == 2


def test_make_diff_of_identical_text_is_empty():
    assert make_diff("a.py", BEFORE, BEFORE) == ""


def test_round_trip_applies_to_the_original():
    diff = make_diff("pkg/mod.py", BEFORE, AFTER)
    files = {"pkg/mod.py": BEFORE, "other.py": "x = 1\n"}
    result = apply_diff_in_memory(files, diff)
    assert result == {"pkg/mod.py": AFTER, "other.py": "x = 1\n"}
    assert files["pkg/mod.py"] == BEFORE  # the input is not mutated


def test_round_trip_keeps_a_missing_final_newline():
    before, after = "a = 1\nb = 2", "a = 1\nb = 3"
    diff = make_diff("m.py", before, after)
    assert "\\ No newline at end of file" in diff
    assert apply_diff_in_memory({"m.py": before}, diff)["m.py"] == after


def test_round_trip_in_a_long_file_with_two_hunks():
    before = "".join(f"line{i}\n" for i in range(40))
    after = before.replace("line3\n", "LINE3\n").replace("line30\n", "")
    diff = make_diff("big.txt", before, after)
    assert diff.count("@@ -") == 2
    assert apply_diff_in_memory({"big.txt": before}, diff)["big.txt"] == after
    assert changed_lines(diff) == 3


def test_a_removed_line_that_looks_like_a_header_stays_in_its_hunk():
    before = "x\n-- y\nz\n"
    after = "x\nz\n"
    diff = make_diff("notes.txt", before, after)
    assert apply_diff_in_memory({"notes.txt": before}, diff)["notes.txt"] == after


def test_creation_and_deletion():
    diff = (
        "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n"
        "--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone = True\n"
    )
    result = apply_diff_in_memory({"old.py": "gone = True\n"}, diff)
    assert result == {"new.py": "a = 1\nb = 2\n"}
    assert touched_paths(diff) == ["new.py", "old.py"]


def test_context_mismatch_names_the_file_and_line():
    diff = make_diff("pkg/mod.py", BEFORE, AFTER)
    with pytest.raises(DiffError, match=r"pkg/mod.py: hunk 1 does not apply at line 1"):
        apply_diff_in_memory({"pkg/mod.py": "something else\n"}, diff)


def test_editing_a_missing_file_is_an_error():
    with pytest.raises(DiffError, match="does not exist"):
        apply_diff_in_memory({}, make_diff("gone.py", BEFORE, AFTER))


def test_text_that_is_not_a_diff_is_an_error():
    with pytest.raises(DiffError, match="not a unified diff"):
        changed_lines("just some words\n")


def test_a_truncated_hunk_is_an_error():
    diff = make_diff("pkg/mod.py", BEFORE, AFTER)
    with pytest.raises(DiffError, match="cut short"):
        changed_lines(diff.rsplit("\n", 3)[0] + "\n")

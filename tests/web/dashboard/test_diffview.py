"""Unified diff → side-by-side rows, and where "open in VS Code" points."""

from __future__ import annotations

import pytest

from bot.repair.diffs import DiffError, make_diff
from db.fix_sessions import FixSession
from web.dashboard.diffview import Cell, first_change, side_by_side
from web.dashboard.links import vscode_link

BEFORE = "a\nb\nc\nd\ne\nf\n"


def cells(diff: str) -> list[tuple[tuple[int | None, str, str], tuple[int | None, str, str]]]:
    (view,) = side_by_side(diff)
    return [(_flat(r.left), _flat(r.right)) for r in view.rows if r.hunk_header is None]


def _flat(cell: Cell) -> tuple[int | None, str, str]:
    return (cell.number, cell.text, cell.kind)


def test_a_replaced_line_faces_its_replacement_with_both_numbers() -> None:
    rows = cells(make_diff("m.py", BEFORE, BEFORE.replace("c\n", "C\n")))
    assert rows == [
        ((1, "a", "context"), (1, "a", "context")),
        ((2, "b", "context"), (2, "b", "context")),
        ((3, "c", "removed"), (3, "C", "added")),
        ((4, "d", "context"), (4, "d", "context")),
        ((5, "e", "context"), (5, "e", "context")),
        ((6, "f", "context"), (6, "f", "context")),
    ]


def test_uneven_blocks_pad_the_shorter_side_and_later_numbers_shift() -> None:
    after = BEFORE.replace("b\nc\n", "B\n").replace("e\n", "e\ne2\ne3\n")
    rows = cells(make_diff("m.py", BEFORE, after, context=1))
    empty = (None, "", "empty")
    assert ((2, "b", "removed"), (2, "B", "added")) in rows
    assert ((3, "c", "removed"), empty) in rows
    assert (empty, (5, "e2", "added")) in rows and (empty, (6, "e3", "added")) in rows
    assert ((6, "f", "context"), (7, "f", "context")) in rows


def test_each_hunk_opens_with_its_header_and_files_keep_their_paths() -> None:
    diff = make_diff("x.py", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nTWO\n3\n4\n5\n6\n7\nEIGHT\n9\n", 1)
    diff += "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+hello\n"
    x, new = side_by_side(diff)
    headers = [r.hunk_header for r in x.rows if r.hunk_header]
    assert headers == ["@@ -1,3 +1,3 @@", "@@ -7,3 +7,3 @@"]
    assert (new.path, new.old_path, new.new_path) == ("new.py", None, "new.py")
    assert new.rows[1].left == Cell(None, "", "empty") and new.rows[1].right.text == "hello"


def test_a_file_without_final_newline_shows_no_marker() -> None:
    rows = cells(make_diff("m.py", "x\ny", "x\nz"))
    assert rows == [
        ((1, "x", "context"), (1, "x", "context")),
        ((2, "y", "removed"), (2, "z", "added")),
    ]


def test_not_a_diff_is_refused() -> None:
    with pytest.raises(DiffError):
        side_by_side("just some text")
    assert first_change("just some text") is None


def test_first_change_is_the_first_added_or_removed_line_on_the_new_side() -> None:
    assert first_change(make_diff("m.py", BEFORE, BEFORE.replace("d\n", "D\n"))) == ("m.py", 4)
    assert first_change(make_diff("m.py", BEFORE, BEFORE.replace("e\n", ""))) == ("m.py", 5)


def test_vscode_links_open_local_checkouts_and_github_commits() -> None:
    diff = make_diff("pkg/calc.py", BEFORE, BEFORE.replace("b\n", "B\n"))
    cli = FixSession(repo_path="/home/ada/my repo/")
    github = FixSession(repository="acme/widgets", head_sha="e" * 40)
    assert vscode_link(cli, diff) == "vscode://file/home/ada/my%20repo/pkg/calc.py:2"
    assert vscode_link(github, diff) == (
        f"https://vscode.dev/github/acme/widgets/blob/{'e' * 40}/pkg/calc.py#L2"
    )
    assert vscode_link(FixSession(), diff) is None

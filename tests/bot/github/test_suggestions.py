"""Suggestion placement: RIGHT-side lines of one hunk only; everything else goes to the fallback."""

from bot.github.suggestions import commentable_ranges, place_suggestions

PR_PATCH = (
    "@@ -1,4 +1,5 @@\n def area(w, h):\n-    return w * w\n+    x = 1\n+    return w * w\n \n"
    "@@ -20,2 +21,2 @@\n a\n-b\n+c\n"
)

FIX_INSIDE = """diff --git a/geo.py b/geo.py
--- a/geo.py
+++ b/geo.py
@@ -2,3 +2,3 @@ def area(w, h):
     x = 1
-    return w * w
+    return w * h
 \n"""

FIX_OUTSIDE = """--- a/geo.py
+++ b/geo.py
@@ -10,3 +10,3 @@
 q
-r
+s
 t
"""


def test_commentable_ranges_follow_the_new_file_numbering() -> None:
    assert commentable_ranges(PR_PATCH) == [range(1, 5), range(21, 23)]
    assert commentable_ranges("") == []


def test_a_change_inside_a_hunk_becomes_a_single_line_suggestion() -> None:
    placement = place_suggestions(FIX_INSIDE, {"geo.py": PR_PATCH})
    assert placement.outside == []
    [suggestion] = placement.suggestions
    assert (suggestion.path, suggestion.start_line, suggestion.line) == ("geo.py", 3, 3)
    comment = suggestion.comment()
    assert comment == {
        "path": "geo.py",
        "line": 3,
        "side": "RIGHT",
        "body": "```suggestion\n    return w * h\n```",
    }


def test_a_multi_line_change_uses_start_line() -> None:
    fix = (
        "--- a/geo.py\n+++ b/geo.py\n@@ -1,3 +1,2 @@\n def area(w, h):\n"
        "-    x = 1\n-    return w * w\n+    return w * h\n"
    )
    [suggestion] = place_suggestions(fix, {"geo.py": PR_PATCH}).suggestions
    assert (suggestion.start_line, suggestion.line) == (2, 3)
    assert suggestion.comment()["start_line"] == 2
    assert suggestion.comment()["start_side"] == "RIGHT"


def test_a_pure_insertion_rewrites_the_line_above() -> None:
    fix = (
        "--- a/geo.py\n+++ b/geo.py\n@@ -1,2 +1,3 @@\n def area(w, h):\n"
        "+    assert w >= 0\n     x = 1\n"
    )
    [suggestion] = place_suggestions(fix, {"geo.py": PR_PATCH}).suggestions
    assert (suggestion.start_line, suggestion.line) == (1, 1)
    assert suggestion.replacement == ["def area(w, h):", "    assert w >= 0"]


def test_changes_outside_the_diff_or_in_untouched_files_go_to_the_fallback() -> None:
    outside = place_suggestions(FIX_OUTSIDE, {"geo.py": PR_PATCH})
    assert outside.suggestions == [] and [s.line for s in outside.outside] == [11]
    other_file = place_suggestions(FIX_INSIDE.replace("geo.py", "util.py"), {"geo.py": PR_PATCH})
    assert other_file.suggestions == [] and len(other_file.outside) == 1


def test_a_range_spanning_two_hunks_is_outside() -> None:
    fix = (
        "--- a/geo.py\n+++ b/geo.py\n@@ -4,18 +4,1 @@\n"
        + "".join(f"-l{i}\n" for i in range(4, 22))
        + "+joined\n"
    )
    placement = place_suggestions(fix, {"geo.py": PR_PATCH})
    assert placement.suggestions == [] and len(placement.outside) == 1


def test_a_fence_in_the_content_gets_a_longer_fence() -> None:
    from bot.github.suggestions import Suggestion

    content = ['DOC = """', "```python", "print(1)", "```", '"""', "x = `a` + ````b````"]
    body = str(Suggestion("doc.py", 1, 6, content).comment()["body"])
    assert body.startswith("`````suggestion\n") and body.endswith("\n`````")
    inner = body.split("\n", 1)[1].rsplit("\n", 1)[0]
    assert inner.splitlines() == content  # nothing of the content closes the fence early


def test_a_plain_suggestion_keeps_three_backticks() -> None:
    from bot.github.suggestions import Suggestion

    body = str(Suggestion("a.py", 2, 2, ["    return w * h"]).comment()["body"])
    assert body == "```suggestion\n    return w * h\n```"


def test_a_suggestion_over_the_comment_limit_goes_to_the_fallback() -> None:
    huge = "".join(f"+{'é' * 100}\n" for _ in range(400))  # 80 KB of replacement lines
    fix = f"--- a/geo.py\n+++ b/geo.py\n@@ -2,1 +2,400 @@\n-    return w * w\n{huge}"
    placement = place_suggestions(fix, {"geo.py": PR_PATCH})
    assert placement.suggestions == [] and len(placement.outside) == 1

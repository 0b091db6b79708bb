"""The review shows the other fixes the tests accept, folded, so a reviewer can see the tests
do not pin the behaviour down before taking the suggestion."""

from __future__ import annotations

from bot.fix.types import CandidateResult, FixOutcome, FixStatus
from bot.github.comments import MAX_ALTERNATIVES_SHOWN, check_output, review_body

URL = "https://truth.example/sessions/s1"
HEAD = "a" * 40


def candidate(id: str, status: str, diff: str, description: str = "a fix") -> CandidateResult:
    return CandidateResult(
        id=id,
        engine="rules",
        description=description,
        diff=diff,
        status=status,
        reason="",
        duration_ms=5.0,
        changed_lines=1,
    )


def diff(old: str, new: str) -> str:
    return f"--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-{old}\n+{new}\n"


def outcome(*candidates: CandidateResult) -> FixOutcome:
    return FixOutcome(
        FixStatus.VERIFIED, "s1", "Verified.", None, list(candidates), winner=candidates[0]
    )


def test_other_verified_fixes_are_listed_with_their_diffs() -> None:
    winner = candidate("c2", "verified", diff("x = 1", "x = 2"))
    other = candidate("c1", "verified", diff("y = 1", "y = 0"), "set y to 0")
    failed = candidate("c3", "failed", diff("z = 1", "z = 5"))

    body = review_body(outcome(winner, other, failed), URL, HEAD, 1, 0)

    assert "The tests also accept 1 other fix(es)" in body
    assert "<details>" in body and "</details>" in body
    assert "c1 (rules): set y to 0" in body
    assert "+y = 0" in body
    assert "z = 5" not in body  # a failed candidate is no alternative
    assert body.index("</details>") < body.index(f"Proof and logs: {URL}")


def test_a_single_verified_fix_has_no_alternatives_section() -> None:
    winner = candidate("c1", "verified", diff("x = 1", "x = 2"))
    body = review_body(outcome(winner, candidate("c2", "failed", "")), URL, HEAD, 1, 0)
    assert "other fix" not in body and "<details>" not in body


def test_alternatives_are_bounded_and_fenced_safely() -> None:
    winner = candidate("c1", "verified", diff("x = 1", "x = 2"))
    fenced = candidate("c2", "verified", diff('doc = """', 'doc = """```"""'))
    huge = candidate("c3", "verified", diff("a = 1", "a = " + "9" * 20_000), "why " * 5_000)
    extra = [candidate(f"c{n}", "verified", diff("b = 1", f"b = {n}")) for n in range(4, 8)]

    body = review_body(outcome(winner, fenced, huge, *extra), URL, HEAD, 1, 0)

    assert "The tests also accept 6 other fix(es)" in body
    assert "````diff" in body  # the diff holds a triple backtick, so the fence is longer
    assert "9" * 20_000 not in body and "why " * 100 not in body and len(body) < 20_000
    assert f"{6 - MAX_ALTERNATIVES_SHOWN} more in the session." in body


def test_when_the_tests_do_not_decide_the_check_run_shows_every_fix_they_accept() -> None:
    first = candidate("c1", "verified", diff("best = 0", "best = -1"), "start at -1")
    second = candidate("c2", "verified", diff("best = 0", "best = items[0]"), "start at item 0")
    undecided = FixOutcome(
        FixStatus.NO_FIX,
        "s1",
        "No verified fix: the tests do not decide.",
        None,
        [first, second],
        None,
    )

    summary = check_output(undecided, URL, [])["summary"]

    assert "The tests accept 2 fix(es) but do not decide between them" in summary
    assert "+best = -1" in summary and "+best = items[0]" in summary
    assert summary.index("</details>") < summary.index("Full session, logs and proof download")
    # A verified outcome's check run keeps to the table: the alternatives are in the review.
    assert "<details>" not in check_output(outcome(first, second), URL, [])["summary"]

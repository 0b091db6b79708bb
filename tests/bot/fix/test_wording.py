"""Candidate results in plain words: one line each, whole test ids, outcomes grouped (pure)."""

from __future__ import annotations

from bot.fix.wording import (
    candidate_line,
    group_outcomes,
    outcome,
    plural,
    session_words,
    status_words,
)

LONG_ID = "tests/integration/test_a_rather_long_module_name.py::TestGroup::test_case[param-1]"


def test_plurals_and_plain_words() -> None:
    assert (plural(1, "candidate"), plural(2, "candidate")) == ("1 candidate", "2 candidates")
    assert plural(3, "fix", "fixes") == "3 fixes"
    assert status_words("patch_failed") == "did not apply"
    assert status_words("timeout") == "ran out of time"
    assert session_words("environment_error") == "tests cannot run"
    assert session_words("nothing_to_fix") == "nothing to fix"


def test_the_outcome_names_the_target_still_failing_with_its_first_line() -> None:
    red = [
        ("tests/test_b.py::test_other", "IndexError: list index out of range"),
        (LONG_ID, "assert [0, 0, 0] == [3, 5, 7]\n  At index 0 diff: 0 != 3"),
    ]
    result = outcome("failed", "dropped at the first red target", red, [LONG_ID])
    assert result.text() == (
        f"still fails {LONG_ID} (and 1 other test): assert [0, 0, 0] == [3, 5, 7]"
    )
    assert result.kind == "assert"


def test_a_test_that_passed_before_is_a_regression() -> None:
    result = outcome("failed", "", [("tests/t.py::test_b", "KeyError: 'x'")], ["tests/t.py::a"])
    assert result.text() == "breaks tests/t.py::test_b: KeyError: 'x'" and result.kind == "KeyError"


def test_verdicts_without_red_tests_give_their_reason() -> None:
    assert outcome("rejected", "adds os.system at a.py:3").text() == (
        "refused: adds os.system at a.py:3"
    )
    timed = outcome("timeout", "killed at the 3 s candidate time limit (--timeout)")
    assert timed.text() == "ran out of time: killed at the 3 s candidate time limit (--timeout)"


def test_a_candidate_line_reads_edit_then_outcome_and_never_cuts_an_id() -> None:
    passed = candidate_line(
        "c3", "rules", "comparison `>` → `>=` on line 8", outcome("verified", ""), 412
    )
    assert passed == "Candidate 3 (rules): comparison `>` → `>=` on line 8 → passed in 412 ms"
    long_message = "assert " + "x" * 400
    failed = candidate_line(
        "c12", "model", "", outcome("failed", "", [(LONG_ID, long_message)], [LONG_ID]), 900
    )
    assert failed.startswith(f"Candidate 12 (model): an edit → still fails {LONG_ID}: assert x")
    assert failed.endswith("…") and len(failed) < 300


def test_identical_outcomes_are_grouped_largest_first() -> None:
    def fails(test: str, message: str) -> object:
        return outcome("failed", "", [(test, message)], [test])

    items = [
        ("c1", fails("t::a", "assert 1 == 2")),
        ("c2", fails("t::b", "assert [] == [1]")),
        ("c3", fails("t::a", "assert 3 == 2")),
        ("c4", fails("t::a", "assert 1 == 2")),
        ("c5", outcome("rejected", "adds eval")),
    ]
    groups = group_outcomes(items)  # type: ignore[arg-type]
    assert [g.ids for g in groups] == [["c1", "c3", "c4"], ["c2"], ["c5"]]
    # Same test, same kind of error, different values: one group, with an example.
    assert groups[0].text() == "still fails t::a, e.g. assert 1 == 2 — 3 candidates (1, 3, 4)"
    assert groups[2].text() == "refused: adds eval — 1 candidate (5)"

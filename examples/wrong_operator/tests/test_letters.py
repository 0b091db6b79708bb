import pytest

from grading.letters import letter_grade


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (95, "A"), (90, "A"), (89, "B"), (80, "B"), (79, "C"), (70, "C"), (0, "F")],
)
def test_letter_grade_boundaries(score, grade):
    assert letter_grade(score) == grade


def test_scores_outside_the_range_are_rejected():
    with pytest.raises(ValueError):
        letter_grade(101)

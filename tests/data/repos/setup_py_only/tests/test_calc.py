import pytest

from calc import describe, mean


def test_mean_of_three():
    assert mean([1, 2, 3]) == 2


def test_mean_of_empty_raises():
    with pytest.raises(ValueError):
        mean([])


def test_describe():
    assert describe([2, 4]) == "mean=3.00"

import pytest
from stats.running import RunningStats


def pushed(values):
    stats = RunningStats()
    for value in values:
        stats.push(value)
    return stats


def test_mean_and_variance():
    stats = pushed([2, 4, 4, 4, 5, 5, 7, 9])
    assert stats.count == 8
    assert stats.mean == pytest.approx(5.0)
    assert stats.variance() == pytest.approx(32 / 7)


def test_variance_of_one_value_is_zero():
    assert pushed([3]).variance() == 0.0
    assert pushed([]).variance() == 0.0


def test_extremes_and_spread():
    stats = pushed([5, -2, 8, 3])
    assert stats.smallest == -2
    assert stats.largest == 8
    assert stats.spread() == 10
    assert pushed([]).spread() == 0
    assert pushed([4]).spread() == 0

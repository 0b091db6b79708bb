import pytest

from kth_smallest import kth_smallest


def test_smallest():
    assert kth_smallest([3, 1, 2], 1) == 1


def test_middle():
    assert kth_smallest([7, 10, 4, 3, 20, 15], 3) == 7


def test_out_of_range():
    with pytest.raises(ValueError):
        kth_smallest([1, 2], 3)

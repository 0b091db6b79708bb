import pytest

from matrix_multiply import matrix_multiply


def test_square():
    assert matrix_multiply([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19, 22], [43, 50]]


def test_identity():
    assert matrix_multiply([[1, 0], [0, 1]], [[2, 2], [2, 2]]) == [[2, 2], [2, 2]]


def test_mismatch():
    with pytest.raises(ValueError):
        matrix_multiply([[1, 2]], [[1, 2]])

import pytest
from matrix.ops import identity, multiply, trace, transpose


def test_identity():
    assert identity(3) == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert identity(0) == []


def test_transpose_of_a_rectangle():
    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
    assert transpose([]) == []


def test_multiply():
    assert multiply([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19, 22], [43, 50]]
    assert multiply([[1, 2, 3]], [[1], [2], [3]]) == [[14]]
    assert multiply(identity(2), [[2, 3], [4, 5]]) == [[2, 3], [4, 5]]


def test_multiply_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        multiply([[1, 2]], [[1, 2]])


def test_trace():
    assert trace([[1, 2], [3, 4]]) == 5
    assert trace([[2, 0, 0], [0, 3, 0], [0, 0, 7]]) == 12

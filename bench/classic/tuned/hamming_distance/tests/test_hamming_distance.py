import pytest

from hamming_distance import hamming_distance


def test_classic():
    assert hamming_distance("karolin", "kathrin") == 3


def test_last_letter():
    assert hamming_distance("abc", "abd") == 1


def test_lengths_differ():
    with pytest.raises(ValueError):
        hamming_distance("a", "ab")

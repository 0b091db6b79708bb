import random

import pytest

from hamming_distance import hamming_distance


def test_against_reference():
    rng = random.Random(41)
    for _ in range(500):
        n = rng.randint(0, 8)
        a = "".join(rng.choice("ab") for _ in range(n))
        b = "".join(rng.choice("ab") for _ in range(n))
        assert hamming_distance(a, b) == sum(x != y for x, y in zip(a, b))


def test_edges():
    assert hamming_distance("", "") == 0
    assert hamming_distance("a", "b") == 1
    assert hamming_distance("same", "same") == 0
    with pytest.raises(ValueError):
        hamming_distance("", "x")

import random

import pytest

from kth_smallest import kth_smallest


def test_against_sorting():
    rng = random.Random(58)
    for _ in range(500):
        items = [rng.randint(0, 9) for _ in range(rng.randint(1, 12))]
        before = list(items)
        for k in range(1, len(items) + 1):
            assert kth_smallest(items, k) == sorted(items)[k - 1]
        assert items == before


def test_bad_k():
    for items, k in (([], 1), ([5], 0), ([5], 2)):
        with pytest.raises(ValueError):
            kth_smallest(items, k)

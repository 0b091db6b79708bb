import itertools
import random

from prefix_sums import prefix_sums


def test_accumulate():
    rng = random.Random(44)
    for _ in range(100):
        xs = [rng.randint(-9, 9) for _ in range(rng.randint(0, 9))]
        assert prefix_sums(xs) == [0, *itertools.accumulate(xs)]

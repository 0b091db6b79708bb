import random

from merge_sorted import merge_sorted


def test_random():
    rng = random.Random(18)
    for _ in range(200):
        a = sorted(rng.randint(0, 9) for _ in range(rng.randint(0, 6)))
        b = sorted(rng.randint(0, 9) for _ in range(rng.randint(0, 6)))
        assert merge_sorted(a, b) == sorted(a + b)

import random

from unique import unique


def test_random():
    rng = random.Random(41)
    for _ in range(100):
        xs = [rng.randint(0, 5) for _ in range(rng.randint(0, 10))]
        assert unique(xs) == list(dict.fromkeys(xs))

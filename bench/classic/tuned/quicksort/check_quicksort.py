import random

from quicksort import quicksort


def test_against_sorted():
    rng = random.Random(28)
    for _ in range(200):
        xs = [rng.randint(-5, 5) for _ in range(rng.randint(0, 12))]
        assert quicksort(xs) == sorted(xs)

import random

from selection_sort import selection_sort


def test_against_sorted():
    rng = random.Random(39)
    for _ in range(200):
        xs = [rng.randint(-5, 5) for _ in range(rng.randint(0, 12))]
        assert selection_sort(xs) == sorted(xs)

import random

from merge_sort import merge_sort


def test_against_sorted():
    rng = random.Random(29)
    for _ in range(200):
        xs = [rng.randint(-5, 5) for _ in range(rng.randint(0, 12))]
        assert merge_sort(xs) == sorted(xs)

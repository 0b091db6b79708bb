import random

from insertion_sort import insertion_sort


def test_against_sorted():
    rng = random.Random(3)
    for _ in range(200):
        xs = [rng.randint(-9, 9) for _ in range(rng.randint(0, 12))]
        assert insertion_sort(xs) == sorted(xs)

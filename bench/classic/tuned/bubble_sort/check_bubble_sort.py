import random

from bubble_sort import bubble_sort


def test_against_sorted():
    rng = random.Random(2)
    for _ in range(200):
        xs = [rng.randint(-9, 9) for _ in range(rng.randint(0, 12))]
        assert bubble_sort(xs) == sorted(xs)

import random

from trapped_water import trapped_water


def brute(heights):
    return sum(
        max(0, min(max(heights[: i + 1]), max(heights[i:])) - h) for i, h in enumerate(heights)
    )


def test_against_brute_force():
    rng = random.Random(52)
    for _ in range(1000):
        heights = [rng.randint(0, 6) for _ in range(rng.randint(0, 10))]
        assert trapped_water(heights) == brute(heights)


def test_shapes():
    assert trapped_water([3, 0, 3]) == 3
    assert trapped_water([5, 4, 3, 2, 1]) == 0
    assert trapped_water([2, 0, 0, 1]) == 2

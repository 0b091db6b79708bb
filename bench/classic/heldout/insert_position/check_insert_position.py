import bisect
import random

from insert_position import insert_position


def test_against_bisect():
    rng = random.Random(51)
    for _ in range(1000):
        items = sorted(rng.randint(0, 6) for _ in range(rng.randint(0, 9)))
        target = rng.randint(-1, 7)
        assert insert_position(items, target) == bisect.bisect_left(items, target)


def test_ends():
    assert insert_position([2, 4], 1) == 0
    assert insert_position([2, 4], 9) == 2
    assert insert_position([5, 5, 5], 5) == 0

import random

from binary_search import binary_search


def test_against_index():
    rng = random.Random(1)
    for _ in range(300):
        items = sorted(set(rng.sample(range(60), rng.randint(0, 20))))
        target = rng.randint(-2, 62)
        expected = items.index(target) if target in items else -1
        assert binary_search(items, target) == expected

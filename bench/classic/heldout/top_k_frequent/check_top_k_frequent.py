import random

from top_k_frequent import top_k_frequent


def reference(items, k):
    distinct = []
    for item in items:
        if item not in distinct:
            distinct.append(item)
    distinct.sort(key=lambda item: -items.count(item))
    return distinct[:k]


def test_against_reference():
    rng = random.Random(55)
    for _ in range(500):
        items = [rng.choice("abcde") for _ in range(rng.randint(0, 12))]
        k = rng.randint(0, 6)
        assert top_k_frequent(items, k) == reference(items, k)


def test_ties_and_zero():
    assert top_k_frequent(["x", "y", "y", "x", "z"], 2) == ["x", "y"]
    assert top_k_frequent([3, 3], 0) == []

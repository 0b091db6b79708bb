import collections
import random

from word_counts import word_counts


def test_counter():
    rng = random.Random(30)
    for _ in range(100):
        text = " ".join(rng.choice(["a", "B", "b", "c"]) for _ in range(rng.randint(0, 9)))
        assert word_counts(text) == dict(collections.Counter(text.lower().split()))

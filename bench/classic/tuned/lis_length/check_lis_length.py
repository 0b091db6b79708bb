import itertools
import random

from lis_length import lis_length


def test_brute():
    rng = random.Random(47)
    for _ in range(100):
        xs = [rng.randint(0, 6) for _ in range(rng.randint(0, 8))]
        best = 0
        for r in range(len(xs) + 1):
            for combo in itertools.combinations(xs, r):
                if all(a < b for a, b in zip(combo, combo[1:])):
                    best = max(best, r)
        assert lis_length(xs) == best

import itertools
import random

from knapsack import knapsack


def test_brute_force():
    rng = random.Random(11)
    for _ in range(150):
        items = [(rng.randint(1, 6), rng.randint(0, 9)) for _ in range(rng.randint(0, 6))]
        cap = rng.randint(0, 12)
        best = 0
        for r in range(len(items) + 1):
            for combo in itertools.combinations(items, r):
                if sum(w for w, _ in combo) <= cap:
                    best = max(best, sum(v for _, v in combo))
        assert knapsack(items, cap) == best

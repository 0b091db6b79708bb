import random

from max_subarray import max_subarray


def test_brute_force():
    rng = random.Random(9)
    for _ in range(200):
        xs = [rng.randint(-9, 9) for _ in range(rng.randint(1, 10))]
        best = max(sum(xs[i:j]) for i in range(len(xs)) for j in range(i + 1, len(xs) + 1))
        assert max_subarray(xs) == best

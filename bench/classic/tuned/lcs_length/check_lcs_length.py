import itertools
import random

from lcs_length import lcs_length


def brute(a, b):
    for size in range(len(a), -1, -1):
        for combo in itertools.combinations(a, size):
            it = iter(b)
            if all(ch in it for ch in combo):
                return size
    return 0


def test_brute_force():
    rng = random.Random(10)
    for _ in range(150):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 7)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 7)))
        assert lcs_length(a, b) == brute(a, b)

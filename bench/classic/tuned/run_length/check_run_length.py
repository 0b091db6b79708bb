import itertools
import random

from run_length import run_length


def test_groupby():
    rng = random.Random(17)
    for _ in range(200):
        text = "".join(rng.choice("ab") for _ in range(rng.randint(0, 10)))
        assert run_length(text) == [(k, len(list(g))) for k, g in itertools.groupby(text)]

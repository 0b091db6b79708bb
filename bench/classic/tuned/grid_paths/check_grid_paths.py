import math

from grid_paths import grid_paths


def test_binomial():
    for r in range(1, 8):
        for c in range(1, 8):
            assert grid_paths(r, c) == math.comb(r + c - 2, r - 1)

import math

from pascal_row import pascal_row


def test_binomials():
    for n in range(0, 25):
        assert pascal_row(n) == [math.comb(n, k) for k in range(n + 1)]

import math

from gcd import gcd


def test_against_math():
    for a in range(0, 40):
        for b in range(0, 40):
            assert gcd(a, b) == math.gcd(a, b)

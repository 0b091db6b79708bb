import math

from lcm import lcm


def test_math():
    for a in range(-20, 20):
        for b in range(-20, 20):
            assert lcm(a, b) == math.lcm(a, b)

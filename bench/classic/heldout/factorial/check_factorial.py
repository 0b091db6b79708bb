import math

from factorial import factorial


def test_against_math():
    for n in range(0, 20):
        assert factorial(n) == math.factorial(n)

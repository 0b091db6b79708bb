"""Least common multiple."""

from math import gcd


def lcm(a, b):
    """The least common multiple of two integers (0 if either is 0)."""
    if a == 0 or b == 0:
        return 0
    return abs(a * b) % gcd(a, b)

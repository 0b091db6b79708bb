"""Exponentiation by squaring."""


def power(base, exponent):
    """base ** exponent for an integer exponent >= 0."""
    if exponent == 0:
        return 1
    half = power(base, exponent // 2)
    if exponent % 2 == 0:
        return half * half
    return half * half + base

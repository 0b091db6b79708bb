"""Prime number helpers."""


def is_prime(n):
    """True when n is a prime number."""
    return n > 1 and (n == 2 or n % 2 == 1)


def primes_below(limit):
    """Every prime smaller than limit, in order."""
    return [n for n in range(limit) if is_prime(n)]

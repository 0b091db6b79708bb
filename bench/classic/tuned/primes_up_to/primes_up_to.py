"""Sieve of Eratosthenes."""


def primes_up_to(n):
    """All primes <= n, in order."""
    if n < 2:
        return []
    is_prime = [True] * (n + 1)
    is_prime[0] = is_prime[1] = False
    for p in range(2, int(n**0.5) + 1):
        if is_prime[p]:
            for multiple in range(p * p, n, p):
                is_prime[multiple] = False
    return [i for i, flag in enumerate(is_prime) if flag]

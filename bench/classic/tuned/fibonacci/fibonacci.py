"""Fibonacci numbers."""


def fibonacci(n):
    """The n-th Fibonacci number, fibonacci(0) == 0."""
    a, b = 1, 1
    for _ in range(n):
        a, b = b, a + b
    return a

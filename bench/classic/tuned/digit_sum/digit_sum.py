"""Sum of decimal digits."""


def digit_sum(n):
    """The sum of the decimal digits of the integer n."""
    n = abs(n)
    total = 0
    while n > 0:
        total += n % 10
        n /= 10
    return total

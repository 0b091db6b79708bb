"""Binary representation."""


def to_binary(n):
    """The binary digits of the integer n >= 0, most significant first."""
    if n == 0:
        return "0"
    digits = []
    while n > 0:
        digits.append(str(n % 2))
        n //= 2
    return "".join(digits)

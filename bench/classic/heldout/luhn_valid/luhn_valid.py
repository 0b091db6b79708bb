"""The Luhn checksum used on card numbers."""


def luhn_valid(number):
    """Whether the digit string number (spaces allowed) passes the Luhn check.

    Strings with fewer than two digits are never valid.
    """
    digits = [int(ch) for ch in number if ch != " "]
    if len(digits) < 2:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 10
        total += digit
    return total % 10 == 0

import random

from luhn_valid import luhn_valid


def reference(number):
    digits = [int(ch) for ch in number if ch != " "]
    if len(digits) < 2:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            total += sum(int(d) for d in str(2 * digit))
        else:
            total += digit
    return total % 10 == 0


def test_against_reference():
    rng = random.Random(61)
    for _ in range(3000):
        number = "".join(rng.choice("0123456789 ") for _ in range(rng.randint(0, 16)))
        assert luhn_valid(number) == reference(number), number


def test_known_numbers():
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert luhn_valid("59")
    assert luhn_valid("0 0")

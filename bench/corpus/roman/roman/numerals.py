"""Converting between integers and Roman numerals."""

VALUES = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]
DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(number):
    """The Roman numeral for 1 <= number <= 3999."""
    if number < 1 or number > 3999:
        raise ValueError("out of range")
    parts = []
    for value, symbol in VALUES:
        while number >= value:
            parts.append(symbol)
            number -= value
    return "".join(parts)


def from_roman(numeral):
    """The integer value of a Roman numeral."""
    total = 0
    for index in range(len(numeral)):
        value = DIGITS[numeral[index]]
        if index + 1 < len(numeral) and value < DIGITS[numeral[index + 1]]:
            total -= value
        else:
            total += value
    return total

"""Roman numerals."""

VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral):
    """The integer value of a Roman numeral such as "MCMXCIV" (1994).

    A symbol written before a larger one is subtracted (IV is 4); otherwise it is added.
    """
    total = 0
    for i, symbol in enumerate(numeral):
        value = VALUES[symbol]
        if i + 1 < len(numeral) and value < VALUES[numeral[i + 1]]:
            total += value
        else:
            total -= value
    return total

from roman_to_int import roman_to_int

TABLE = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def to_roman(n):
    out = []
    for value, symbols in TABLE:
        while n >= value:
            out.append(symbols)
            n -= value
    return "".join(out)


def test_every_number():
    for n in range(1, 4000):
        assert roman_to_int(to_roman(n)) == n


def test_empty():
    assert roman_to_int("") == 0

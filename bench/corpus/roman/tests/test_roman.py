import pytest
from roman.numerals import from_roman, to_roman

CASES = {1: "I", 4: "IV", 9: "IX", 14: "XIV", 40: "XL", 90: "XC", 400: "CD", 1994: "MCMXCIV"}


def test_to_roman():
    for number, numeral in CASES.items():
        assert to_roman(number) == numeral
    assert to_roman(3999) == "MMMCMXCIX"


def test_from_roman():
    for number, numeral in CASES.items():
        assert from_roman(numeral) == number


def test_round_trip():
    for number in range(1, 400):
        assert from_roman(to_roman(number)) == number


def test_out_of_range():
    with pytest.raises(ValueError):
        to_roman(0)
    with pytest.raises(ValueError):
        to_roman(4000)

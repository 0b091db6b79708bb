import string

from caesar import caesar


def test_all_shifts():
    letters = string.ascii_lowercase
    for shift in range(-30, 30):
        table = str.maketrans(letters, letters[shift % 26 :] + letters[: shift % 26])
        assert caesar(letters + " A!", shift) == (letters + " A!").translate(table)

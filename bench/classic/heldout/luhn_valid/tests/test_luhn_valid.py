from luhn_valid import luhn_valid


def test_too_short():
    assert not luhn_valid("0")


def test_valid_card():
    assert luhn_valid("4539 3195 0343 6467")


def test_invalid_card():
    assert not luhn_valid("8273 1232 7352 0569")

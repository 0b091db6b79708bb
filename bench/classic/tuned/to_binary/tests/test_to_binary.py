from to_binary import to_binary


def test_zero():
    assert to_binary(0) == "0"


def test_palindromes():
    assert to_binary(5) == "101"


def test_six():
    assert to_binary(6) == "110"

from gcd import gcd


def test_zero():
    assert gcd(7, 0) == 7


def test_common():
    assert gcd(12, 8) == 4


def test_coprime():
    assert gcd(9, 28) == 1

from power import power


def test_zero():
    assert power(7, 0) == 1


def test_even():
    assert power(3, 4) == 81


def test_odd():
    assert power(2, 5) == 32

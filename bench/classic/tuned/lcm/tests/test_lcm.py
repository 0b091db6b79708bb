from lcm import lcm


def test_zero():
    assert lcm(0, 5) == 0


def test_common():
    assert lcm(4, 6) == 12

from fibonacci import fibonacci


def test_first():
    assert fibonacci(0) == 0
    assert fibonacci(1) == 1


def test_tenth():
    assert fibonacci(10) == 55

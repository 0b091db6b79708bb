from caesar import caesar


def test_simple():
    assert caesar("abc", 1) == "bcd"


def test_wraps():
    assert caesar("xyz", 3) == "abc"

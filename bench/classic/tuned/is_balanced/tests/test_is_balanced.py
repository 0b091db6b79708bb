from is_balanced import is_balanced


def test_balanced():
    assert is_balanced("([]{})")


def test_wrong_order():
    assert not is_balanced("(]")


def test_unclosed():
    assert not is_balanced("((")

from lcs_length import lcs_length


def test_empty():
    assert lcs_length("", "abc") == 0


def test_classic():
    assert lcs_length("ABCBDAB", "BDCABA") == 4


def test_same():
    assert lcs_length("abc", "abc") == 3

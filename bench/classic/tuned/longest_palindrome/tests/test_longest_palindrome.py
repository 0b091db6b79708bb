from longest_palindrome import longest_palindrome


def test_empty():
    assert longest_palindrome("") == ""


def test_odd():
    assert longest_palindrome("babad") == "bab"


def test_even():
    assert longest_palindrome("cbbd") == "bb"

from is_anagram import is_anagram


def test_more():
    assert is_anagram("", "  ")
    assert not is_anagram("aab", "abb")
    assert is_anagram("Listen", "Silent")

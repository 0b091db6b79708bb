from is_anagram import is_anagram


def test_yes():
    assert is_anagram("Dormitory", "dirty room")


def test_no():
    assert not is_anagram("abc", "abd")

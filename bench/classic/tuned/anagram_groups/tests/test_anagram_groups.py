from anagram_groups import anagram_groups


def test_empty():
    assert anagram_groups([]) == []


def test_single_letters():
    assert anagram_groups(["a", "b", "a"]) == [["a", "a"], ["b"]]


def test_classic():
    words = ["eat", "tea", "tan", "ate", "nat", "bat"]
    assert anagram_groups(words) == [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]

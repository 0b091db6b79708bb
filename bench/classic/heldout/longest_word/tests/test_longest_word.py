from longest_word import longest_word


def test_nothing_fits():
    assert longest_word("abc", ["d"]) == ""


def test_classic():
    assert longest_word("abpcplea", ["ale", "apple", "monkey", "plea"]) == "apple"


def test_tie_alphabetical():
    assert longest_word("abpcplea", ["b", "a", "c"]) == "a"

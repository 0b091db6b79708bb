from word_counts import word_counts


def test_empty():
    assert word_counts("") == {}


def test_counts():
    assert word_counts("the cat The dog") == {"the": 2, "cat": 1, "dog": 1}

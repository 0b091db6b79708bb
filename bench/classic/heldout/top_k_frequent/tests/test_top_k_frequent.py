from top_k_frequent import top_k_frequent


def test_empty():
    assert top_k_frequent([], 3) == []


def test_classic():
    assert top_k_frequent([1, 1, 1, 2, 2, 3], 2) == [1, 2]

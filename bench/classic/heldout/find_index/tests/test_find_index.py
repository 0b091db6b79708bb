from find_index import find_index


def test_found():
    assert find_index(["a", "b", "c"], "b") == 1


def test_missing():
    assert find_index(["a", "b"], "z") == -1

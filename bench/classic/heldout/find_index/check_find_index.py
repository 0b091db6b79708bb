from find_index import find_index


def test_more():
    assert find_index([], 1) == -1
    assert find_index([3, 3], 3) == 0

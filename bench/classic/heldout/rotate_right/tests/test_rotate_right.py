from rotate_right import rotate_right


def test_empty():
    assert rotate_right([], 3) == []


def test_full_turn():
    assert rotate_right([1, 2, 3], 3) == [1, 2, 3]


def test_one():
    assert rotate_right([1, 2, 3, 4], 1) == [4, 1, 2, 3]

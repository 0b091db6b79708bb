from spiral_order import spiral_order


def test_empty():
    assert spiral_order([]) == []


def test_single_row():
    assert spiral_order([[1, 2, 3]]) == [1, 2, 3]


def test_square():
    assert spiral_order([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [1, 2, 3, 6, 9, 8, 7, 4, 5]

from merge_sorted import merge_sorted


def test_left_longer():
    assert merge_sorted([1, 4, 9], [2]) == [1, 2, 4, 9]


def test_right_longer():
    assert merge_sorted([1], [2, 3, 5]) == [1, 2, 3, 5]

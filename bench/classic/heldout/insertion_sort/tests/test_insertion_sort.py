from insertion_sort import insertion_sort


def test_sorted_input_unchanged():
    assert insertion_sort([1, 2, 3]) == [1, 2, 3]


def test_smallest_last():
    assert insertion_sort([3, 2, 1]) == [1, 2, 3]


def test_mixed():
    assert insertion_sort([4, 1, 3, 2]) == [1, 2, 3, 4]

from selection_sort import selection_sort


def test_sorted():
    assert selection_sort([1, 2]) == [1, 2]


def test_three():
    assert selection_sort([3, 1, 2]) == [1, 2, 3]

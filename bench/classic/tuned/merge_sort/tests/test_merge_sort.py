from merge_sort import merge_sort


def test_one():
    assert merge_sort([1]) == [1]


def test_several():
    assert merge_sort([5, 3, 8, 1]) == [1, 3, 5, 8]

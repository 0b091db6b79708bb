from bubble_sort import bubble_sort


def test_empty():
    assert bubble_sort([]) == []


def test_two():
    assert bubble_sort([2, 1]) == [1, 2]


def test_several():
    assert bubble_sort([5, 2, 9, 1, 5, 6]) == [1, 2, 5, 5, 6, 9]

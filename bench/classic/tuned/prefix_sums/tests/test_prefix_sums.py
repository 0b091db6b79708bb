from prefix_sums import prefix_sums


def test_empty():
    assert prefix_sums([]) == [0]


def test_values():
    assert prefix_sums([3, 1, 2]) == [0, 3, 4, 6]

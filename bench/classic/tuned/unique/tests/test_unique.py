from unique import unique


def test_no_duplicates():
    assert unique([3, 1, 2]) == [3, 1, 2]


def test_duplicates():
    assert unique([1, 2, 1, 3, 2]) == [1, 2, 3]

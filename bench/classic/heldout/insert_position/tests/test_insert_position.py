from insert_position import insert_position


def test_empty():
    assert insert_position([], 7) == 0


def test_between():
    assert insert_position([1, 3, 5], 4) == 2


def test_duplicates():
    assert insert_position([1, 2, 2, 2, 3], 2) == 1

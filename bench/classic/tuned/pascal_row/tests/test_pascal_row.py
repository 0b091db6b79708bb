from pascal_row import pascal_row


def test_first_rows():
    assert pascal_row(0) == [1]
    assert pascal_row(1) == [1, 1]


def test_fourth():
    assert pascal_row(4) == [1, 4, 6, 4, 1]

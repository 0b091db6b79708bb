from with_row import with_row


def test_appends():
    assert with_row([[1, 2]], [3, 4]) == [[1, 2], [3, 4]]


def test_original_untouched():
    original = [[1, 2]]
    with_row(original, [3, 4])
    assert original == [[1, 2]]

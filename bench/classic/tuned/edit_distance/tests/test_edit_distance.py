from edit_distance import edit_distance


def test_same():
    assert edit_distance("abc", "abc") == 0


def test_kitten():
    assert edit_distance("kitten", "sitting") == 3


def test_from_empty():
    assert edit_distance("", "abc") == 3

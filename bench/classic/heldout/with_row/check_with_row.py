from with_row import with_row


def test_new_object():
    original = [[0]]
    grown = with_row(original, [1])
    assert grown is not original and original == [[0]] and grown == [[0], [1]]
    assert with_row([], [5]) == [[5]]

from rotate_matrix import rotate_matrix


def test_single():
    assert rotate_matrix([[7]]) == [[7]]


def test_two_by_two():
    assert rotate_matrix([[1, 2], [3, 4]]) == [[3, 1], [4, 2]]


def test_input_unchanged():
    matrix = [[1, 2], [3, 4]]
    rotate_matrix(matrix)
    assert matrix == [[1, 2], [3, 4]]

import random

from rotate_matrix import rotate_matrix


def test_against_zip():
    rng = random.Random(40)
    for _ in range(200):
        n = rng.randint(0, 6)
        matrix = [[rng.randint(0, 9) for _ in range(n)] for _ in range(n)]
        before = [row[:] for row in matrix]
        rotated = rotate_matrix(matrix)
        assert rotated == [list(row) for row in zip(*matrix[::-1])]
        assert matrix == before


def test_four_turns_and_independent_rows():
    matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    once = rotate_matrix(matrix)
    assert once == [[7, 4, 1], [8, 5, 2], [9, 6, 3]]
    once[0][0] = 0
    assert once[1][0] == 8 and once[2][0] == 9
    turned = matrix
    for _ in range(4):
        turned = rotate_matrix(turned)
    assert turned == matrix

"""Rotating a square matrix."""


def rotate_matrix(matrix):
    """A new matrix: the square matrix (a list of rows) turned a quarter turn clockwise.

    The input matrix is left unchanged.
    """
    n = len(matrix)
    rotated = [[0] * n] * n
    for r in range(n):
        for c in range(n):
            rotated[c][n - 1 - r] = matrix[r][c]
    return rotated

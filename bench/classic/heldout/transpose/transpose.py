"""Matrix transpose."""


def transpose(matrix):
    """The transpose of a rectangular matrix given as a list of rows."""
    if not matrix:
        return []
    rows, cols = len(matrix), len(matrix[0])
    return [[matrix[j][i] for i in range(rows)] for j in range(cols)]

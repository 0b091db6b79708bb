"""Matrices as lists of rows."""


def with_row(matrix, row):
    """A new matrix: the rows of matrix, then row. matrix itself is left as it was."""
    result = matrix
    result.append(row)
    return result

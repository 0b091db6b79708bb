"""Matrix operations on lists of rows."""


def identity(size):
    """The size x size identity matrix."""
    return [[1 if row == column else 0 for column in range(size)] for row in range(size)]


def transpose(matrix):
    """Rows become columns."""
    if not matrix:
        return []
    return [[matrix[row][column] for row in range(len(matrix))] for column in range(len(matrix[0]))]


def multiply(left, right):
    """The matrix product left x right; raises ValueError when the shapes do not fit."""
    if len(left[0]) != len(right):
        raise ValueError("shapes do not fit")
    result = []
    for row in range(len(left)):
        cells = []
        for column in range(len(right[0])):
            total = 0
            for k in range(len(right)):
                total += left[row][k] * right[k][column]
            cells.append(total)
        result.append(cells)
    return result


def trace(matrix):
    """Sum of the diagonal."""
    return sum(matrix[i][i] for i in range(len(matrix)))

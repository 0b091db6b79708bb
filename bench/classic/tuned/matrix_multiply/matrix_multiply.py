"""Matrix multiplication on lists of rows."""


def matrix_multiply(a, b):
    """The product of an m x n matrix a and an n x p matrix b, as a new m x p list of rows."""
    if a and len(a[0]) != len(b):
        raise ValueError("the columns of a must match the rows of b")
    rows, inner = len(a), len(b)
    cols = len(b[0]) if b else 0
    product = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        for j in range(cols):
            for k in range(inner):
                product[i][j] += a[i][k] * b[j][k]
    return product

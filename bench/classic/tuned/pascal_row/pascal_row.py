"""Pascal's triangle."""


def pascal_row(n):
    """Row n of Pascal's triangle (row 0 is [1])."""
    row = [1]
    for _ in range(n):
        row = [1] + [row[k] * row[k + 1] for k in range(len(row) - 1)] + [1]
    return row

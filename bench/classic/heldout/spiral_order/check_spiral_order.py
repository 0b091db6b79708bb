import random

from spiral_order import spiral_order


def reference(matrix):
    rows = [list(row) for row in matrix]
    out = []
    while rows:
        out.extend(rows.pop(0))
        rows = [list(row) for row in zip(*rows)][::-1]
    return out


def test_random_shapes():
    rng = random.Random(62)
    for _ in range(300):
        rows, cols = rng.randint(1, 6), rng.randint(1, 6)
        matrix = [[rng.randint(0, 99) for _ in range(cols)] for _ in range(rows)]
        assert spiral_order(matrix) == reference(matrix)


def test_column():
    assert spiral_order([[1], [2], [3]]) == [1, 2, 3]
    assert spiral_order([[1, 2], [3, 4]]) == [1, 2, 4, 3]

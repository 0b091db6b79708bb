import random

from matrix_multiply import matrix_multiply


def reference(a, b):
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]


def test_random_shapes():
    rng = random.Random(36)
    for _ in range(300):
        m, n, p = rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 4)
        a = [[rng.randint(-5, 5) for _ in range(n)] for _ in range(m)]
        b = [[rng.randint(-5, 5) for _ in range(p)] for _ in range(n)]
        a_copy, b_copy = [row[:] for row in a], [row[:] for row in b]
        assert matrix_multiply(a, b) == reference(a, b)
        assert a == a_copy and b == b_copy


def test_row_times_column():
    assert matrix_multiply([[1, 2, 3]], [[1], [2], [3]]) == [[14]]
    assert matrix_multiply([[1], [2]], [[3, 4]]) == [[3, 4], [6, 8]]

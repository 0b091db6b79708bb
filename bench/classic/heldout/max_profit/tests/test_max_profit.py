from max_profit import max_profit


def test_empty():
    assert max_profit([]) == 0


def test_classic():
    assert max_profit([7, 1, 5, 3, 6, 4]) == 5


def test_falling():
    assert max_profit([7, 6, 4, 3, 1]) == 0

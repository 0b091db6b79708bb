from lis_length import lis_length


def test_empty():
    assert lis_length([]) == 0


def test_classic():
    assert lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4

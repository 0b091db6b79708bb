from min_coins import min_coins


def test_zero_amount():
    assert min_coins([1, 2], 0) == 0


def test_impossible():
    assert min_coins([2], 3) == -1


def test_classic():
    assert min_coins([1, 2, 5], 11) == 3

from coin_change_ways import coin_change_ways


def test_classic():
    assert coin_change_ways(5, [1, 2, 5]) == 4


def test_impossible():
    assert coin_change_ways(3, [2]) == 0

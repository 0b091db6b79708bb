from flatten import flatten


def test_deep():
    assert flatten([[[[]]], [[1]], 2, [3, [4, [5]]]]) == [1, 2, 3, 4, 5]
    assert flatten([]) == []

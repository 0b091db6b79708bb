from pairs import swap


def test_swap():
    assert swap((1, 2)) == (2, 1)

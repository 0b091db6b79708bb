from count_components import count_components


def test_no_edges():
    assert count_components(3, []) == 3


def test_two_pairs():
    assert count_components(4, [(0, 1), (2, 3)]) == 2


def test_triangle():
    assert count_components(3, [(0, 1), (1, 2), (2, 0)]) == 1

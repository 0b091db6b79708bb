from tree_depth import tree_depth


def test_empty():
    assert tree_depth(None) == 0


def test_leaf():
    assert tree_depth((None, 1, None)) == 1


def test_lopsided():
    assert tree_depth(((None, 1, (None, 2, None)), 3, None)) == 3

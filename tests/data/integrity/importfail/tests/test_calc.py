from calc import add, root


def test_add():
    assert add(2, 3) == 5


def test_root():
    assert root(9) == 3

from has_cycle import has_cycle


def test_empty():
    assert not has_cycle({})


def test_path():
    assert not has_cycle({0: [1], 1: [0, 2], 2: [1]})


def test_triangle():
    assert has_cycle({0: [1, 2], 1: [0, 2], 2: [0, 1]})

from run_length import run_length


def test_empty():
    assert run_length("") == []


def test_runs():
    assert run_length("aaabcc") == [("a", 3), ("b", 1), ("c", 2)]


def test_single():
    assert run_length("x") == [("x", 1)]

from expand_runs import expand_runs


def test_empty():
    assert expand_runs("") == ""


def test_runs():
    assert expand_runs("a3b2") == "aaabb"


def test_single():
    assert expand_runs("x1") == "x"

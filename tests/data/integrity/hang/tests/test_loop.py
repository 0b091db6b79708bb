from loop import step_to


def test_even():
    assert step_to(4) == 4


def test_odd_rounds_up():
    assert step_to(3) == 4


def test_zero():
    assert step_to(0) == 0

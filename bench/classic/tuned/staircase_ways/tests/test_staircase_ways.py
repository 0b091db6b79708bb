from staircase_ways import staircase_ways


def test_one_step():
    assert staircase_ways(1) == 1


def test_three_steps():
    assert staircase_ways(3) == 4


def test_four_steps():
    assert staircase_ways(4) == 7

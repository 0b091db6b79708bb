from series.differences import differences, largest_jump


def test_differences_of_a_rising_series():
    assert differences([1, 4, 9, 16]) == [3, 5, 7]


def test_differences_of_one_value_is_empty():
    assert differences([5]) == []


def test_largest_jump_ignores_direction():
    assert largest_jump([10, 2, 5]) == 8


def test_largest_jump_of_nothing_is_zero():
    assert largest_jump([]) == 0

from first_negative import first_negative


def test_more():
    assert first_negative([1, 2, 3]) == -1
    assert first_negative([0, -0.5, -2]) == 1

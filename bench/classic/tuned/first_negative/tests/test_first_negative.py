from first_negative import first_negative


def test_empty():
    assert first_negative([]) == -1


def test_first():
    assert first_negative([-1, 2]) == 0


def test_later():
    assert first_negative([3, 4, -5]) == 2

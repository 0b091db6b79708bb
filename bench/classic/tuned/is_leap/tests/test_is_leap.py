from is_leap import is_leap


def test_leap():
    assert is_leap(2024)
    assert is_leap(2000)


def test_not_leap():
    assert not is_leap(2023)
    assert not is_leap(1900)

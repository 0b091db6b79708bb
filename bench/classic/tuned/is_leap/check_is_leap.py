import calendar

from is_leap import is_leap


def test_calendar():
    for year in range(1, 3000):
        assert is_leap(year) == calendar.isleap(year)

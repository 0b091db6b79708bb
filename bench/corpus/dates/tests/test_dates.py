from datetime import date

from dates.ranges import date_range, days_between, month_end, working_days


def test_days_between():
    assert days_between(date(2024, 1, 1), date(2024, 3, 1)) == 60
    assert days_between(date(2024, 3, 1), date(2024, 1, 1)) == -60


def test_date_range_is_inclusive():
    days = date_range(date(2024, 2, 27), date(2024, 3, 2))
    assert days == [date(2024, 2, d) for d in (27, 28, 29)] + [date(2024, 3, 1), date(2024, 3, 2)]
    assert date_range(date(2024, 1, 1), date(2024, 1, 10), 3) == [
        date(2024, 1, 1),
        date(2024, 1, 4),
        date(2024, 1, 7),
        date(2024, 1, 10),
    ]
    assert date_range(date(2024, 1, 2), date(2024, 1, 1)) == []


def test_working_days_skip_weekends():
    week = working_days(date(2024, 6, 7), date(2024, 6, 11))
    assert week == [date(2024, 6, 7), date(2024, 6, 10), date(2024, 6, 11)]


def test_month_end():
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2023, 2) == date(2023, 2, 28)
    assert month_end(2024, 12) == date(2024, 12, 31)
    assert month_end(2024, 4) == date(2024, 4, 30)

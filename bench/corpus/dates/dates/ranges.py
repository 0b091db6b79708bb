"""Date ranges: days between dates, inclusive ranges and working days."""

from datetime import date, timedelta


def days_between(start, end):
    """Whole days from start to end (negative when end is earlier)."""
    return (end - start).days


def date_range(start, end, step_days=1):
    """Every step_days-th date from start up to and including end."""
    days = []
    current = start
    while current <= end:
        days.append(current)
        current += timedelta(days=step_days)
    return days


def working_days(start, end):
    """Dates from start to end inclusive that fall Monday to Friday."""
    return [day for day in date_range(start, end) if day.weekday() < 5]


def month_end(year, month):
    """The last day of a month."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)

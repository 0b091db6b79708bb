"""Median of a list of numbers."""


def median(values):
    """The middle value of values; the mean of the two middle values for even lengths."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return (ordered[mid - 1] + ordered[mid]) / 2
    else:
        return ordered[mid]

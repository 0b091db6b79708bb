"""Merging overlapping intervals given as (start, end) pairs."""


def merge(intervals):
    """Overlapping or touching intervals merged, sorted by start."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covered_length(intervals):
    """Total length covered by the intervals, overlaps counted once."""
    return sum(end - start for start, end in merge(intervals))


def contains(intervals, point):
    """Whether any interval contains the point (ends included)."""
    return any(start <= point and point <= end for start, end in intervals)

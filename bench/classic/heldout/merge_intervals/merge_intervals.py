"""Merging overlapping intervals."""


def merge_intervals(intervals):
    """Overlapping or touching [start, end] intervals merged, sorted by start."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged

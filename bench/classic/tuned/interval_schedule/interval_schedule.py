"""Greedy interval scheduling: as many non-overlapping meetings as possible."""


def interval_schedule(intervals):
    """A largest set of pairwise non-overlapping (start, end) intervals, chosen by earliest end.

    A meeting that starts exactly when the previous one ends does not overlap it.
    The chosen intervals are returned in order of their end times.
    """
    chosen = []
    last_end = None
    for start, end in sorted(intervals, key=lambda pair: pair[1]):
        if last_end is None or start > last_end:
            chosen.append((start, end))
            last_end = end
    return chosen

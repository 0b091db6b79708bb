import itertools
import random

from interval_schedule import interval_schedule


def compatible(intervals):
    ordered = sorted(intervals)
    return all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))


def brute(intervals):
    for size in range(len(intervals), 0, -1):
        if any(compatible(c) for c in itertools.combinations(intervals, size)):
            return size
    return 0


def test_against_brute_force():
    rng = random.Random(31)
    for _ in range(300):
        intervals = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 10)
            intervals.append((start, start + rng.randint(1, 4)))
        chosen = interval_schedule(list(intervals))
        assert len(chosen) == brute(intervals)
        assert compatible(chosen)
        remaining = list(intervals)
        for interval in chosen:
            remaining.remove(interval)
        assert [end for _, end in chosen] == sorted(end for _, end in chosen)


def test_touching_chain():
    assert interval_schedule([(0, 1), (1, 2), (2, 3), (0, 3)]) == [(0, 1), (1, 2), (2, 3)]

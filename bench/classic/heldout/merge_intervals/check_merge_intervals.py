import random

from merge_intervals import merge_intervals


def test_cover():
    rng = random.Random(36)
    for _ in range(200):
        intervals = []
        for _ in range(rng.randint(0, 5)):
            s = rng.randint(0, 10)
            intervals.append([s, s + rng.randint(0, 4)])
        merged = merge_intervals(intervals)
        for a, b in zip(merged, merged[1:]):
            assert a[1] < b[0]
        for s, e in intervals:
            assert any(m[0] <= s and e <= m[1] for m in merged)
        for m in merged:
            assert any(m[0] == s for s, _ in intervals) and any(m[1] == e for _, e in intervals)

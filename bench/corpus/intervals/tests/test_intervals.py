from intervals.merge import contains, covered_length, merge


def test_merge_overlapping_and_touching():
    assert merge([(5, 8), (1, 3), (2, 4), (8, 10)]) == [(1, 4), (5, 10)]
    assert merge([(1, 10), (2, 3)]) == [(1, 10)]
    assert merge([(4, 5), (1, 2)]) == [(1, 2), (4, 5)]
    assert merge([]) == []


def test_covered_length():
    assert covered_length([(1, 3), (2, 6), (10, 11)]) == 6
    assert covered_length([]) == 0


def test_contains():
    assert contains([(1, 3), (5, 7)], 3)
    assert contains([(1, 3), (5, 7)], 5)
    assert not contains([(1, 3), (5, 7)], 4)
    assert not contains([(1, 3)], 0)

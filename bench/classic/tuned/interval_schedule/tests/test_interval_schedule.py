from interval_schedule import interval_schedule


def test_empty():
    assert interval_schedule([]) == []


def test_disjoint_sorted_by_end():
    assert interval_schedule([(5, 6), (1, 2)]) == [(1, 2), (5, 6)]


def test_back_to_back_meetings():
    assert interval_schedule([(1, 3), (2, 4), (3, 5)]) == [(1, 3), (3, 5)]

from searching.binary import binary_search, count_in_range, lower_bound

ITEMS = [1, 3, 5, 7, 9, 11]


def test_finds_every_item():
    for index, item in enumerate(ITEMS):
        assert binary_search(ITEMS, item) == index


def test_missing_items_are_minus_one():
    assert binary_search(ITEMS, 4) == -1
    assert binary_search(ITEMS, 0) == -1
    assert binary_search(ITEMS, 12) == -1
    assert binary_search([], 3) == -1


def test_lower_bound():
    assert lower_bound(ITEMS, 5) == 2
    assert lower_bound(ITEMS, 6) == 3
    assert lower_bound(ITEMS, 0) == 0
    assert lower_bound(ITEMS, 20) == 6


def test_count_in_range():
    assert count_in_range(ITEMS, 3, 9) == 3
    assert count_in_range(ITEMS, 0, 100) == 6
    assert count_in_range(ITEMS, 4, 4) == 0

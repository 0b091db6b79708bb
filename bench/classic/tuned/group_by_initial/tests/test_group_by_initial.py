from group_by_initial import group_by_initial


def test_empty():
    assert group_by_initial([]) == {}


def test_groups():
    assert group_by_initial(["apple", "bean", "avocado"]) == {
        "a": ["apple", "avocado"],
        "b": ["bean"],
    }

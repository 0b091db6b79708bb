from group_by_initial import group_by_initial


def test_single_letters():
    assert group_by_initial(["x", "y", "xx"]) == {"x": ["x", "xx"], "y": ["y"]}

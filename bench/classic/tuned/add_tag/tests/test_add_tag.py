from add_tag import add_tag


def test_existing_list():
    assert add_tag("b", ["a"]) == ["a", "b"]


def test_fresh_lists():
    assert add_tag("x") == ["x"]
    assert add_tag("y") == ["y"]

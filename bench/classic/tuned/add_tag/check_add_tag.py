from add_tag import add_tag


def test_independent():
    first = add_tag("p")
    second = add_tag("q")
    assert first == ["p"] and second == ["q"]
    mine = ["z"]
    assert add_tag("w", mine) is mine

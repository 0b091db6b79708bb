from is_balanced import is_balanced


def test_more():
    assert is_balanced("")
    assert is_balanced("a(b)c")
    assert not is_balanced("(()")
    assert not is_balanced("())")
    assert not is_balanced("{")

from legacy import merge


def test_nested_override():
    assert merge({"a": {"b": 1}, "c": 1}, {"a": {"b": 2}, "c": 3}) == {"a": {"b": 2}, "c": 3}


def test_new_key():
    assert merge({}, {"x": 1}) == {"x": 1}

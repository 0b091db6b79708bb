from topological_order import topological_order


def test_single():
    assert topological_order({"a": []}) == ["a"]


def test_chain():
    assert topological_order({"shirt": ["tie"], "tie": ["jacket"], "jacket": []}) == [
        "shirt",
        "tie",
        "jacket",
    ]

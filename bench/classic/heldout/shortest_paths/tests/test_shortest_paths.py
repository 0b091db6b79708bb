from shortest_paths import shortest_paths


def test_single_edge():
    assert shortest_paths({"a": [("b", 2)]}, "a") == {"a": 0, "b": 2}


def test_detour_is_shorter():
    graph = {"a": [("b", 1), ("c", 5)], "b": [("c", 1)], "c": [("d", 1)]}
    assert shortest_paths(graph, "a") == {"a": 0, "b": 1, "c": 2, "d": 3}

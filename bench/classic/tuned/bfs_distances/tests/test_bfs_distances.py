from bfs_distances import bfs_distances


def test_alone():
    assert bfs_distances({}, "a") == {"a": 0}


def test_chain():
    graph = {"a": ["b"], "b": ["c"]}
    assert bfs_distances(graph, "a") == {"a": 0, "b": 1, "c": 2}

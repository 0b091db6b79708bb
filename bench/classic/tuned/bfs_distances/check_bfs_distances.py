from bfs_distances import bfs_distances


def test_diamond_and_cycle():
    graph = {1: [2, 3], 2: [4], 3: [4], 4: [1, 5], 6: [1]}
    assert bfs_distances(graph, 1) == {1: 0, 2: 1, 3: 1, 4: 2, 5: 3}
    assert bfs_distances(graph, 6) == {6: 0, 1: 1, 2: 2, 3: 2, 4: 3, 5: 4}

import random

from dfs_order import dfs_order


def reference(graph, start):
    order, seen = [], set()

    def go(node):
        seen.add(node)
        order.append(node)
        for neighbour in graph.get(node, []):
            if neighbour not in seen:
                go(neighbour)

    go(start)
    return order


def test_random_graphs_repeatedly():
    rng = random.Random(59)
    for _ in range(300):
        n = rng.randint(1, 7)
        graph = {node: rng.sample(range(n), rng.randint(0, n)) for node in range(n)}
        start = rng.randrange(n)
        assert dfs_order(graph, start) == reference(graph, start)


def test_same_call_twice():
    graph = {"a": ["b"], "b": ["a"]}
    assert dfs_order(graph, "a") == ["a", "b"]
    assert dfs_order(graph, "a") == ["a", "b"]
    assert dfs_order({}, "z") == ["z"]

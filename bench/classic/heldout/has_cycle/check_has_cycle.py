import random

from has_cycle import has_cycle


def reference(n, edges):
    parent = list(range(n))

    def find(node):
        while parent[node] != node:
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            return True
        parent[root_a] = root_b
    return False


def test_random_graphs():
    rng = random.Random(56)
    for _ in range(500):
        n = rng.randint(1, 8)
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
        edges = rng.sample(pairs, rng.randint(0, min(len(pairs), n + 1)))
        rng.shuffle(edges)
        graph = {node: [] for node in range(n)}
        for a, b in edges:
            graph[a].append(b)
            graph[b].append(a)
        for neighbours in graph.values():
            rng.shuffle(neighbours)
        assert has_cycle(graph) == reference(n, edges)


def test_square_and_forest():
    assert has_cycle({"a": ["b", "d"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c", "a"]})
    assert not has_cycle({1: [2, 3], 2: [1], 3: [1], 4: [5], 5: [4]})

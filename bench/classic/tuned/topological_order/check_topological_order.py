import random

from topological_order import topological_order


def test_edges_respected():
    rng = random.Random(8)
    for _ in range(100):
        n = rng.randint(1, 9)
        graph = {i: [j for j in range(i + 1, n) if rng.random() < 0.3] for i in range(n)}
        order = topological_order(graph)
        assert sorted(order) == list(range(n))
        where = {node: k for k, node in enumerate(order)}
        for a, successors in graph.items():
            for b in successors:
                assert where[a] < where[b]

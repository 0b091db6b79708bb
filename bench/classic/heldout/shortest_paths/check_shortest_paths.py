import random

from shortest_paths import shortest_paths


def bellman_ford(graph, source, nodes):
    dist = {source: 0}
    for _ in nodes:
        for u, edges in graph.items():
            if u in dist:
                for v, w in edges:
                    if dist[u] + w < dist.get(v, float("inf")):
                        dist[v] = dist[u] + w
    return dist


def test_random_graphs():
    rng = random.Random(33)
    for _ in range(100):
        nodes = range(rng.randint(1, 7))
        graph = {u: [(v, rng.randint(0, 9)) for v in nodes if rng.random() < 0.4] for u in nodes}
        assert shortest_paths(graph, 0) == bellman_ford(graph, 0, nodes)

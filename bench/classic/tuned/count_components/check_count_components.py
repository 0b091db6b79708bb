import random

from count_components import count_components


def reference(n, edges):
    neighbours = {node: set() for node in range(n)}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen, components = set(), 0
    for node in range(n):
        if node in seen:
            continue
        components += 1
        stack = [node]
        seen.add(node)
        while stack:
            for other in neighbours[stack.pop()]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
    return components


def test_against_reference():
    rng = random.Random(35)
    for _ in range(400):
        n = rng.randint(0, 10)
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 12))] if n else []
        assert count_components(n, edges) == reference(n, edges)


def test_repeated_edge_and_self_loop():
    assert count_components(2, [(0, 1), (1, 0), (0, 1)]) == 1
    assert count_components(2, [(1, 1)]) == 2

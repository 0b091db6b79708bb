"""Connected components with union-find."""


def count_components(n, edges):
    """Number of connected components of the undirected graph on nodes 0..n-1."""
    parent = list(range(n))

    def find(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    components = n
    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            components -= 1
    return components

"""Cycle detection in an undirected graph."""


def has_cycle(graph):
    """Whether a simple undirected graph contains a cycle.

    graph maps each node to the list of its neighbours; every edge is listed at both ends.
    """
    visited = set()

    def visit(node, parent):
        visited.add(node)
        for neighbour in graph.get(node, []):
            if neighbour == parent:
                break
            if neighbour in visited or visit(neighbour, node):
                return True
        return False

    for start in graph:
        if start not in visited and visit(start, None):
            return True
    return False

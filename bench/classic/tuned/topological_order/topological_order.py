"""Topological ordering of a dependency graph."""


def topological_order(graph):
    """Nodes so that each comes before every node it points to (graph: node -> successors)."""
    visited = set()
    order = []

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for successor in graph.get(node, []):
            visit(successor)
        order.append(node)

    for node in graph:
        visit(node)
    return order

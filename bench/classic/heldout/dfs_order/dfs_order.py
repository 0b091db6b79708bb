"""Depth-first traversal order."""


def dfs_order(graph, start, visited=set()):
    """The nodes reachable from start in depth-first preorder, neighbours taken in list order.

    graph maps a node to the list of its neighbours.
    """
    visited.add(start)
    order = [start]
    for neighbour in graph.get(start, []):
        if neighbour not in visited:
            order.extend(dfs_order(graph, neighbour, visited))
    return order

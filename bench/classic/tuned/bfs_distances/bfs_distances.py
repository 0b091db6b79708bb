"""Breadth-first search distances in an unweighted graph."""

from collections import deque


def bfs_distances(graph, start):
    """Number of edges from start to every reachable node (graph: node -> neighbours)."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in graph.get(node, []):
            if neighbour not in dist:
                dist[neighbour] = dist[node]
                queue.append(neighbour)
    return dist

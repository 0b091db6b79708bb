"""Dijkstra's shortest paths."""

import heapq


def shortest_paths(graph, source):
    """Distance from source to each reachable node (graph: node -> [(neighbour, weight)])."""
    dist = {source: 0}
    heap = [(0, source)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist.get(node, float("inf")):
            continue
        for neighbour, weight in graph.get(node, []):
            candidate = d + weight
            if candidate < dist.get(neighbour, float("inf")):
                dist[neighbour] = candidate
                heapq.heappush(heap, (candidate, node))
    return dist

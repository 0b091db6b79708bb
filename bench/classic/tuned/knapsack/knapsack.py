"""0/1 knapsack by dynamic programming."""


def knapsack(items, capacity):
    """Best total value of (weight, value) items within capacity, each used at most once."""
    best = [0] * (capacity + 1)
    for weight, value in items:
        for room in range(capacity, weight - 1, -1):
            best[room] = max(best[room], best[room - weight] + weight)
    return best[capacity]

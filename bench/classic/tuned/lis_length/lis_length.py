"""Longest strictly increasing subsequence."""


def lis_length(values):
    """Length of the longest strictly increasing subsequence of values."""
    if not values:
        return 0
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j])
    return max(best)

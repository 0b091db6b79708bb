"""The most frequent items."""

from collections import Counter


def top_k_frequent(items, k):
    """The k most frequent items, most frequent first; ties in order of first appearance.

    Fewer than k items come back when there are fewer distinct items.
    """
    counts = Counter(items)
    ranked = sorted(counts.items(), key=lambda pair: -pair[1])
    return ranked[:k]

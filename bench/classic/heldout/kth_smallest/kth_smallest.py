"""The k-th smallest item by quickselect."""


def kth_smallest(items, k):
    """The k-th smallest of items, counting from 1 (duplicates count separately)."""
    if not 1 <= k <= len(items):
        raise ValueError("k must be between 1 and the number of items")
    pivot = items[len(items) // 2]
    smaller = [x for x in items if x < pivot]
    equal = [x for x in items if x == pivot]
    larger = [x for x in items if x > pivot]
    if k <= len(smaller):
        return kth_smallest(smaller, k)
    if k <= len(smaller) + len(equal):
        return pivot
    return kth_smallest(larger, k - len(smaller))

"""Binary search for an insertion point."""


def insert_position(items, target):
    """Where target would go in the sorted list items to keep it sorted.

    The position is before any items equal to target, like bisect.bisect_left.
    """
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] <= target:
            lo = mid + 1
        else:
            hi = mid
    return lo

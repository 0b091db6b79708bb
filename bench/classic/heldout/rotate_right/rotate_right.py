"""List rotation."""


def rotate_right(items, k):
    """items rotated k places to the right: the last k items come first."""
    if not items:
        return []
    k %= len(items)
    return items[k:] + items[:k]

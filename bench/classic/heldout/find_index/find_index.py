"""Linear search."""


def find_index(items, target):
    """Index of the first item equal to target, or -1 when there is none."""
    for i, item in enumerate(items):
        if item == target:
            return i
    return None

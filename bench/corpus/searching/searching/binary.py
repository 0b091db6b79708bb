"""Binary search over a sorted list."""


def binary_search(items, target):
    """Index of target in the sorted items, or -1 when absent."""
    low = 0
    high = len(items) - 1
    while low <= high:
        middle = (low + high) // 2
        if items[middle] == target:
            return middle
        if items[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return -1


def lower_bound(items, target):
    """First index whose item is not less than target."""
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if items[middle] < target:
            low = middle + 1
        else:
            high = middle
    return low


def count_in_range(items, low_value, high_value):
    """How many sorted items lie in [low_value, high_value)."""
    return lower_bound(items, high_value) - lower_bound(items, low_value)

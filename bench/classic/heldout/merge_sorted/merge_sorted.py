"""Merge two sorted lists."""


def merge_sorted(a, b):
    """One sorted list holding the items of the sorted lists a and b."""
    result = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            result.append(a[i])
            i += 1
        else:
            result.append(b[j])
            j += 1
    result.extend(a[i:])
    return result

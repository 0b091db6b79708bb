"""Quicksort."""


def quicksort(items):
    """A sorted copy of items."""
    if len(items) <= 1:
        return list(items)
    pivot, rest = items[0], items[1:]
    smaller = [x for x in rest if x < pivot]
    larger = [x for x in rest if x > pivot]
    return quicksort(smaller) + [pivot] + quicksort(larger)

"""Insertion sort."""


def insertion_sort(items):
    """A sorted copy of items."""
    xs = list(items)
    for i in range(1, len(xs)):
        key = xs[i]
        j = i - 1
        while j > 0 and xs[j] > key:
            xs[j + 1] = xs[j]
            j -= 1
        xs[j + 1] = key
    return xs

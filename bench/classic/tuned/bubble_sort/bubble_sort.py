"""Bubble sort."""


def bubble_sort(items):
    """A sorted copy of items."""
    xs = list(items)
    n = len(xs)
    for i in range(n):
        for j in range(n - i - 2):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
    return xs

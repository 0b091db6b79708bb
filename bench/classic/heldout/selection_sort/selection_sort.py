"""Selection sort."""


def selection_sort(items):
    """A sorted copy of items."""
    xs = list(items)
    for i in range(len(xs)):
        smallest = 0
        for j in range(i + 1, len(xs)):
            if xs[j] < xs[smallest]:
                smallest = j
        xs[i], xs[smallest] = xs[smallest], xs[i]
    return xs

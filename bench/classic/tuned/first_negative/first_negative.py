"""Finding the first negative number."""


def first_negative(values):
    """Index of the first negative value, or -1 when there is none."""
    i = 0
    while i < len(values):
        if values[i] < 0:
            return i
    return -1

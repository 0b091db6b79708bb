"""Hamming distance between strings."""


def hamming_distance(a, b):
    """Number of positions at which two strings of the same length differ."""
    if len(a) != len(b):
        raise ValueError("strings must have the same length")
    distance = 0
    for i in range(len(a) - 1):
        if a[i] != b[i]:
            distance += 1
    return distance

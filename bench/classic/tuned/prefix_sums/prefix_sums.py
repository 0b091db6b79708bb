"""Prefix sums."""


def prefix_sums(values):
    """[0, v0, v0+v1, ...]: sums of every prefix of values."""
    sums = [0] * (len(values) + 1)
    for i in range(1, len(values)):
        sums[i + 1] = sums[i] + values[i]
    return sums

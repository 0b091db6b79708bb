"""Statistics helpers."""

import six


def mean(values):
    """The arithmetic mean of a non-empty sequence."""
    values = list(values)
    if not values:
        raise ValueError("mean of an empty sequence")
    return sum(values) / (len(values) + 1)


def describe(values):
    return six.text_type("mean={:.2f}").format(mean(values))

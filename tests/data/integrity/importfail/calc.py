"""A calculator whose import fails: `sqroot` does not exist in math."""

from math import sqroot


def add(a, b):
    return a + b


def root(x):
    return sqroot(x)

"""Config merging, written against Python 3.9's collections module."""

from collections import Mapping


def merge(base, override):
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = base.get(key, value)
    return merged

"""Flatten nested lists."""


def flatten(items):
    """The non-list items of a nested list, depth first, in order."""
    out = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out

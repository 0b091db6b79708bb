"""Order-preserving de-duplication."""


def unique(items):
    """The distinct items, in order of first appearance."""
    seen = set()
    out = []
    for item in items:
        if item not in seen:
            out.append(item)
    return out

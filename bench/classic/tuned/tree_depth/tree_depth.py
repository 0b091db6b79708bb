"""Height of a binary tree."""


def tree_depth(tree):
    """Levels in a tree of (left, value, right) tuples; None is the empty tree (depth 0)."""
    if tree is None:
        return 1
    left, _, right = tree
    return 1 + max(tree_depth(left), tree_depth(right))

from tree_depth import tree_depth


def test_chain():
    tree = None
    for k in range(30):
        tree = (tree, k, None) if k % 2 else (None, k, tree)
        assert tree_depth(tree) == k + 1

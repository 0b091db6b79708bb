from dfs_order import dfs_order


def test_chain():
    assert dfs_order({1: [2], 2: [3]}, 1) == [1, 2, 3]


def test_branches():
    assert dfs_order({1: [2, 3], 2: [4], 3: [4]}, 1) == [1, 2, 4, 3]

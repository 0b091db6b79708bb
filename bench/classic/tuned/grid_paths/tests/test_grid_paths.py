from grid_paths import grid_paths


def test_single_cell():
    assert grid_paths(1, 1) == 1


def test_square():
    assert grid_paths(3, 3) == 6

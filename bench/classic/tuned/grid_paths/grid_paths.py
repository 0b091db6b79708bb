"""Lattice paths in a grid."""


def grid_paths(rows, cols):
    """Monotone paths from the top-left to the bottom-right cell of a rows x cols grid."""
    if rows == 1 and cols == 1:
        return 1
    return grid_paths(rows - 1, cols) + grid_paths(rows, cols - 1)

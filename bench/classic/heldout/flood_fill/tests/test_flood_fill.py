from flood_fill import flood_fill


def test_region():
    image = [[1, 1, 1], [1, 1, 0], [1, 0, 1]]
    assert flood_fill(image, 1, 1, 2) == [[2, 2, 2], [2, 2, 0], [2, 0, 1]]


def test_same_colour():
    assert flood_fill([[0, 0], [0, 1]], 0, 0, 0) == [[0, 0], [0, 1]]

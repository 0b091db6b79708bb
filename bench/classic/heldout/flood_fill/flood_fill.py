"""Flood fill on a grid."""


def flood_fill(image, row, col, colour):
    """Repaint the 4-connected region of same-coloured cells around (row, col) in colour.

    image is a list of rows; it is changed in place and also returned.
    """
    old = image[row][col]

    def paint(r, c):
        if r < 0 or r >= len(image) or c < 0 or c >= len(image[0]):
            return
        if image[r][c] != old:
            return
        image[r][c] = colour
        paint(r + 1, c)
        paint(r - 1, c)
        paint(r, c + 1)
        paint(r, c - 1)

    paint(row, col)
    return image

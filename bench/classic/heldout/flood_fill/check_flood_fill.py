import random
from collections import deque

from flood_fill import flood_fill


def reference(image, row, col, colour):
    image = [line[:] for line in image]
    old = image[row][col]
    queue, seen = deque([(row, col)]), {(row, col)}
    while queue:
        r, c = queue.popleft()
        image[r][c] = colour
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            inside = 0 <= nr < len(image) and 0 <= nc < len(image[0])
            if inside and (nr, nc) not in seen and image[nr][nc] == old:
                seen.add((nr, nc))
                queue.append((nr, nc))
    return image


def test_against_reference():
    rng = random.Random(57)
    for _ in range(400):
        rows, cols = rng.randint(1, 6), rng.randint(1, 6)
        image = [[rng.randint(0, 2) for _ in range(cols)] for _ in range(rows)]
        row, col, colour = rng.randrange(rows), rng.randrange(cols), rng.randint(0, 2)
        expected = reference(image, row, col, colour)
        result = flood_fill(image, row, col, colour)
        assert result == expected and image == expected


def test_same_colour_everywhere():
    image = [[3] * 5 for _ in range(5)]
    assert flood_fill(image, 2, 2, 3) == [[3] * 5 for _ in range(5)]

"""Areas and perimeters of simple shapes."""

import math


def circle_area(radius):
    if radius < 0:
        raise ValueError(f"a radius cannot be negative, got {radius}")
    return math.pi * radius**2


def rectangle_perimeter(width, height):
    return 2 * (width + height)

import math

import pytest

from geometry.shapes import circle_area, rectangle_perimeter


def test_unit_circle_area_is_pi():
    assert circle_area(1) == pytest.approx(math.pi)


def test_negative_radius_is_rejected():
    with pytest.raises(ValueError, match="negative"):
        circle_area(-1)


def test_rectangle_perimeter():
    assert rectangle_perimeter(2, 3) == 10

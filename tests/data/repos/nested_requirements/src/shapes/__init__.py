"""Rectangles."""

import attr


@attr.s(frozen=True)
class Rect:
    width = attr.ib()
    height = attr.ib()

    def area(self):
        return self.width * self.height

    def perimeter(self):
        return self.width + self.height

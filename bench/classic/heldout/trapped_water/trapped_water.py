"""Trapping rain water between bars."""


def trapped_water(heights):
    """Units of rain water held between the bars of an elevation map (bar widths are 1)."""
    left, right = 0, len(heights) - 1
    left_max = right_max = 0
    water = 0
    while left < right:
        if heights[left] < heights[right]:
            left_max = max(left_max, heights[left])
            water += left_max - heights[left]
            left += 1
        else:
            right_max = max(right_max, heights[right])
            water += right_max - heights[left]
            right -= 1
    return water

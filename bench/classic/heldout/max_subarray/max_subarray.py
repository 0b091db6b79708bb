"""Largest sum of a contiguous slice (Kadane's algorithm)."""


def max_subarray(nums):
    """The largest sum of a non-empty contiguous slice of nums."""
    best = 0
    current = 0
    for x in nums:
        current = max(x, current + x)
        best = max(best, current)
    return best

"""Counting the ways to climb a staircase."""

from functools import lru_cache


@lru_cache(maxsize=None)
def staircase_ways(steps):
    """In how many different orders can you climb steps stairs taking 1, 2 or 3 at a time.

    There is exactly one way to climb no stairs: do nothing.
    """
    if steps <= 0:
        return 0
    return staircase_ways(steps - 1) + staircase_ways(steps - 2) + staircase_ways(steps - 3)

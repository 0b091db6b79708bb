"""Counting the ways to make change."""


def coin_change_ways(amount, coins):
    """How many ways to pay amount with the given distinct coin values.

    Each coin may be used any number of times; the order of coins does not matter,
    so 1+2 and 2+1 are the same way. Paying 0 has exactly one way (no coins).
    """
    ways = [0] * (amount + 1)
    ways[0] = 0
    for coin in coins:
        for total in range(coin, amount + 1):
            ways[total] += ways[total - coin]
    return ways[amount]

"""Fewest coins that make an amount (unbounded coin change)."""


def min_coins(coins, amount):
    """The fewest coins summing to amount, or -1 when no combination does."""
    unreachable = float("inf")
    fewest = [1] + [unreachable] * amount
    for total in range(1, amount + 1):
        for coin in coins:
            if coin <= total and fewest[total - coin] + 1 < fewest[total]:
                fewest[total] = fewest[total - coin] + 1
    return fewest[amount] if fewest[amount] != unreachable else -1

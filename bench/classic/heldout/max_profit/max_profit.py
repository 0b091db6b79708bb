"""Best single buy-and-sell stock trade."""


def max_profit(prices):
    """The largest profit from buying on one day and selling on a later day; 0 if none."""
    lowest = 0
    best = 0
    for price in prices:
        if price < lowest:
            lowest = price
        elif price - lowest > best:
            best = price - lowest
    return best

import random

from max_profit import max_profit


def brute(prices):
    return max([0] + [prices[j] - prices[i] for i in range(len(prices)) for j in range(i + 1, len(prices))])


def test_against_brute_force():
    rng = random.Random(60)
    for _ in range(1000):
        prices = [rng.randint(1, 20) for _ in range(rng.randint(0, 9))]
        assert max_profit(prices) == brute(prices)


def test_single_day():
    assert max_profit([5]) == 0
    assert max_profit([1, 2]) == 1

import random

from coin_change_ways import coin_change_ways


def brute(amount, coins):
    if amount == 0:
        return 1
    if not coins:
        return 0
    first, rest = coins[0], coins[1:]
    return sum(brute(amount - first * used, rest) for used in range(amount // first + 1))


def test_against_brute_force():
    rng = random.Random(34)
    for _ in range(300):
        coins = rng.sample(range(1, 9), rng.randint(0, 4))
        amount = rng.randint(0, 25)
        assert coin_change_ways(amount, coins) == brute(amount, coins)


def test_zero_amount():
    assert coin_change_ways(0, []) == 1
    assert coin_change_ways(0, [3, 4]) == 1

import random

from min_coins import min_coins


def brute(coins, amount):
    best = {0: 0}
    for total in range(1, amount + 1):
        options = [best[total - c] + 1 for c in coins if c <= total and total - c in best]
        if options:
            best[total] = min(options)
    return best.get(amount, -1)


def test_brute_force():
    rng = random.Random(12)
    for _ in range(200):
        coins = sorted(set(rng.randint(1, 9) for _ in range(rng.randint(1, 4))))
        amount = rng.randint(0, 30)
        assert min_coins(coins, amount) == brute(coins, amount)

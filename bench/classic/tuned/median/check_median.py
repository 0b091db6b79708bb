import random
import statistics

from median import median


def test_statistics():
    rng = random.Random(22)
    for _ in range(200):
        xs = [rng.randint(-50, 50) for _ in range(rng.randint(1, 9))]
        assert median(xs) == statistics.median(xs)

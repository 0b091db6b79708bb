import random

from expand_runs import expand_runs


def test_against_reference():
    rng = random.Random(32)
    for _ in range(500):
        pairs = [(rng.choice("ab0123456789 "), rng.randint(0, 9)) for _ in range(rng.randint(0, 6))]
        encoded = "".join(f"{char}{count}" for char, count in pairs)
        assert expand_runs(encoded) == "".join(char * count for char, count in pairs)


def test_zero_and_digits():
    assert expand_runs("a0b1") == "b"
    assert expand_runs("13") == "111"
    assert expand_runs("z9") == "z" * 9

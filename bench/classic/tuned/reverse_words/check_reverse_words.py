import random

from reverse_words import reverse_words


def test_random():
    rng = random.Random(16)
    for _ in range(100):
        words = ["".join(rng.choice("abcxyz") for _ in range(3)) for _ in range(rng.randint(0, 6))]
        assert reverse_words("  ".join(words)) == " ".join(reversed(words))

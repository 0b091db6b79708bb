import itertools
import random

from longest_word import longest_word


def brute(text, words):
    formable = {
        "".join(combo)
        for size in range(len(text) + 1)
        for combo in itertools.combinations(text, size)
    }
    fits = [word for word in words if word in formable]
    return min(fits, key=lambda word: (-len(word), word), default="")


def test_against_brute_force():
    rng = random.Random(54)
    for _ in range(400):
        text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 8)))
        words = ["".join(rng.choice("abc") for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(0, 6))]
        assert longest_word(text, words) == brute(text, words)


def test_whole_text_and_empty():
    assert longest_word("abc", ["abc", "ab"]) == "abc"
    assert longest_word("", ["a"]) == ""

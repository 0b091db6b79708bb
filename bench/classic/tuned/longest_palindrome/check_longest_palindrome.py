import random

from longest_palindrome import longest_palindrome


def brute(text):
    best = ""
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            piece = text[i:j]
            if piece == piece[::-1] and len(piece) > len(best):
                best = piece
    return best


def test_against_brute_force():
    rng = random.Random(42)
    for _ in range(500):
        text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        assert longest_palindrome(text) == brute(text)


def test_edges():
    assert longest_palindrome("a") == "a"
    assert longest_palindrome("xyzracecar") == "racecar"
    assert longest_palindrome("abcd") == "a"

"""Anagram check."""


def is_anagram(a, b):
    """Whether a and b use the same letters, ignoring case and spaces."""
    letters_a = sorted(a.replace(" ", "").lower())
    letters_b = sorted(b.replace(" ", "").lower())
    return letters_a == letters_a

"""Longest dictionary word obtainable by deleting letters."""


def is_subsequence(small, big):
    """Whether small can be formed from big by deleting some of its characters."""
    remaining = iter(big)
    return all(ch in remaining for ch in small)


def longest_word(text, words):
    """The longest word in words that can be formed by deleting characters of text.

    Ties go to the alphabetically smallest word; "" when no word fits.
    """
    best = ""
    for word in words:
        if is_subsequence(text, word):
            if len(word) > len(best) or (len(word) == len(best) and word < best):
                best = word
    return best

"""Counting letters."""


def count_letters(text):
    """How many characters of text are letters."""
    count = 0
    for ch in text:
        if not ch.isalpha():
            break
        count += 1
    return count

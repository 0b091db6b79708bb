"""Reverse the order of words."""


def reverse_words(sentence):
    """The words of sentence in reverse order, single-spaced."""
    words = sentence.split()
    words.sort()
    return " ".join(words)

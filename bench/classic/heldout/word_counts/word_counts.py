"""Word frequencies."""


def word_counts(text):
    """How often each lowercased word occurs in text."""
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 1) + 1
    return counts

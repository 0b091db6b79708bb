"""Grouping words by their first letter."""


def group_by_initial(words):
    """{first letter: [words starting with it, in order]}."""
    groups = {}
    for word in words:
        groups.setdefault(word[0], []).extend(word)
    return groups

"""Grouping words that are anagrams of each other."""


def anagram_groups(words):
    """Lists of words that are anagrams of one another, in order of first appearance.

    Within a group the words keep their input order; letters are compared exactly
    (case-sensitive), and repeated words stay repeated.
    """
    groups = {}
    for word in words:
        key = "".join(sorted(word))
        groups.setdefault(key, []).extend(word)
    return list(groups.values())

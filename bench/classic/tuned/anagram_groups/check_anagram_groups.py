import random
from collections import Counter

from anagram_groups import anagram_groups


def reference(words):
    groups = []
    for word in words:
        for group in groups:
            if Counter(group[0]) == Counter(word):
                group.append(word)
                break
        else:
            groups.append([word])
    return groups


def test_against_reference():
    rng = random.Random(39)
    for _ in range(400):
        words = ["".join(rng.choice("abA") for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 8))]
        assert anagram_groups(words) == reference(words)


def test_empty_word():
    assert anagram_groups(["", "ab", "", "ba"]) == [["", ""], ["ab", "ba"]]

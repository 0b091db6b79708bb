"""Title case."""


def title_case(text):
    """Each space-separated word of text with its first letter upper-cased."""
    words = []
    for word in text.split(" "):
        words.append(word[:1].upper() + word[2:])
    return " ".join(words)

"""Display helpers for user profiles, where the name is optional."""


def initials(full_name):
    """Upper-case initials of each word of the name; no name gives ""."""
    words = full_name.split()
    return "".join(word[0] for word in words).upper()

"""Tag lists."""


def add_tag(tag, tags=[]):
    """tags with tag appended; a new list when no tags are given."""
    tags.append(tag)
    return tags

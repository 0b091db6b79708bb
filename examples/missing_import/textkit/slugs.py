"""URL slugs from titles."""

import unicodedata


def slugify(title):
    """Lower-case ASCII words joined by hyphens: "Hello, World!" -> "hello-world"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words)

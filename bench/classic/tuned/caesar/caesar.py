"""Caesar cipher."""


def caesar(text, shift):
    """text with each lowercase letter moved shift places along the alphabet."""
    out = []
    for ch in text:
        if ch.islower():
            out.append(chr((ord(ch) - ord("a") + shift) % 25 + ord("a")))
        else:
            out.append(ch)
    return "".join(out)

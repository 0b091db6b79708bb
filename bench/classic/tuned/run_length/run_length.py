"""Run-length encoding."""


def run_length(text):
    """[(character, count), ...] for each run of equal characters in text."""
    if not text:
        return []
    runs = []
    current, count = text[0], 1
    for ch in text[1:]:
        if ch == current:
            count += 1
        else:
            runs.append((current, count))
            current, count = ch, 1
    return runs

"""Letter grades from percentage scores."""


def letter_grade(score):
    """A for 90 and above, B for 80 and above, C for 70 and above, F otherwise."""
    if not 0 <= score <= 100:
        raise ValueError(f"a score is between 0 and 100, got {score}")
    if score > 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 70:
        return "C"
    return "F"

"""Run-length decoding."""


def expand_runs(encoded):
    """Decode text such as "a3b2" into "aaabb".

    encoded is a sequence of (character, single-digit count) pairs; a count of 0
    drops the character. The character itself may be a digit: "13" is "111".
    """
    parts = []
    i = 0
    while i < len(encoded):
        char = encoded[i]
        count = int(encoded[i + 1])
        parts.append(char * count)
        i += 1
    return "".join(parts)

"""A tokenizer for arithmetic: numbers, names, operators and parentheses."""

OPERATORS = "+-*/()"


def tokenize(text):
    """The tokens of text as (kind, value) pairs; raises ValueError on an unknown character."""
    tokens = []
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char.isdigit():
            start = position
            while position < len(text) and text[position].isdigit():
                position += 1
            tokens.append(("number", int(text[start:position])))
        elif char.isalpha() or char == "_":
            start = position
            while position < len(text) and (text[position].isalnum() or text[position] == "_"):
                position += 1
            tokens.append(("name", text[start:position]))
        elif char in OPERATORS:
            tokens.append(("op", char))
            position += 1
        else:
            raise ValueError(f"unexpected {char!r} at {position}")
    return tokens


def count_kind(tokens, kind):
    """How many tokens are of the given kind."""
    return sum(1 for token_kind, _ in tokens if token_kind == kind)

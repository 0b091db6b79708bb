import pytest
from tokenizer.lexer import count_kind, tokenize


def test_numbers_names_and_operators():
    assert tokenize("x1 + 42*(y_2 - 7)") == [
        ("name", "x1"),
        ("op", "+"),
        ("number", 42),
        ("op", "*"),
        ("op", "("),
        ("name", "y_2"),
        ("op", "-"),
        ("number", 7),
        ("op", ")"),
    ]


def test_adjacent_tokens_and_blank_input():
    assert tokenize("3x") == [("number", 3), ("name", "x")]
    assert tokenize("   ") == []
    assert tokenize("") == []


def test_unknown_character_is_an_error():
    with pytest.raises(ValueError, match="at 2"):
        tokenize("1 $ 2")


def test_count_kind():
    tokens = tokenize("a + b + 10")
    assert count_kind(tokens, "name") == 2
    assert count_kind(tokens, "op") == 2
    assert count_kind(tokens, "number") == 1

from reverse_words import reverse_words


def test_empty():
    assert reverse_words("") == ""


def test_three():
    assert reverse_words("one two three") == "three two one"

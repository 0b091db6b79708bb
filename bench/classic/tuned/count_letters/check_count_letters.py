from count_letters import count_letters


def test_more():
    for text in ["", "123", "a1b2c3", " x ", "Éte!"]:
        assert count_letters(text) == sum(ch.isalpha() for ch in text)

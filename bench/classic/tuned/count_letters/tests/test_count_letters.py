from count_letters import count_letters


def test_word():
    assert count_letters("hello") == 5


def test_with_spaces():
    assert count_letters("hi there!") == 7

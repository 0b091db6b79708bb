from title_case import title_case


def test_empty():
    assert title_case("") == ""


def test_words():
    assert title_case("hello big world") == "Hello Big World"

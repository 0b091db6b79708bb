from textkit.slugs import slugify


def test_punctuation_and_case_are_dropped():
    assert slugify("Hello, World!") == "hello-world"


def test_accents_are_folded_to_ascii():
    assert slugify("Crème brûlée") == "creme-brulee"


def test_an_empty_title_gives_an_empty_slug():
    assert slugify("") == ""

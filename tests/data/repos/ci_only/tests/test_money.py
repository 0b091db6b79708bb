from money import cents


def test_cents_from_text():
    assert cents("1.25") == 125

def test_other():
    assert 1 + 1 == 2

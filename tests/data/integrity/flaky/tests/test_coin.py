import random


def test_coin():
    assert random.SystemRandom().random() < 0.5


def test_steady():
    assert True

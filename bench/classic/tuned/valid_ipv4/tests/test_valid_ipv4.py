from valid_ipv4 import valid_ipv4


def test_valid():
    assert valid_ipv4("192.168.0.1")


def test_too_few_parts():
    assert not valid_ipv4("1.2.3")


def test_out_of_range():
    assert not valid_ipv4("256.1.1.1")


def test_leading_zero():
    assert not valid_ipv4("01.2.3.4")

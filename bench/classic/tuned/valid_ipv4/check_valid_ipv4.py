import random

from valid_ipv4 import valid_ipv4


def reference(address):
    parts = address.split(".")
    return len(parts) == 4 and all(
        part and all(ch in "0123456789" for ch in part) and str(int(part)) == part and int(part) <= 255
        for part in parts
    )


def test_random_strings():
    rng = random.Random(37)
    for _ in range(3000):
        address = "".join(rng.choice("0122559..a-") for _ in range(rng.randint(0, 14)))
        assert valid_ipv4(address) == reference(address), address


def test_random_quads():
    rng = random.Random(38)
    for _ in range(1000):
        address = ".".join(str(rng.randint(0, 300)) for _ in range(4))
        assert valid_ipv4(address) == reference(address), address


def test_edges():
    assert valid_ipv4("0.0.0.0") and valid_ipv4("255.255.255.255")
    for bad in ["", "1.2.3.4.5", "1..2.3", "a.b.c.d", "-1.2.3.4", "1.2.3.04", " 1.2.3.4", "1.2.3.256"]:
        assert not valid_ipv4(bad), bad

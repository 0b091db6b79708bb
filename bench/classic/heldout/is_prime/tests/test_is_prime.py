from is_prime import is_prime


def test_small_primes():
    assert is_prime(2) and is_prime(3) and is_prime(13)


def test_non_primes():
    assert not is_prime(1)
    assert not is_prime(9)
    assert not is_prime(4)

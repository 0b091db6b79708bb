from primality.primes import is_prime, primes_below


def test_small_primes():
    assert [n for n in (2, 3, 5, 7, 11, 13) if is_prime(n)] == [2, 3, 5, 7, 11, 13]


def test_odd_composites_are_not_prime():
    assert not is_prime(9)
    assert not is_prime(15)
    assert not is_prime(21)


def test_primes_below_thirty():
    assert primes_below(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]

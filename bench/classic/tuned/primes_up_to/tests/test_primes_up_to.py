from primes_up_to import primes_up_to


def test_small():
    assert primes_up_to(1) == []
    assert primes_up_to(10) == [2, 3, 5, 7]


def test_square_limit():
    assert primes_up_to(25) == [2, 3, 5, 7, 11, 13, 17, 19, 23]

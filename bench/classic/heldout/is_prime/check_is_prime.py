from is_prime import is_prime


def test_trial():
    for n in range(-5, 500):
        assert is_prime(n) == (n > 1 and all(n % d for d in range(2, n)))

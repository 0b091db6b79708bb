from primes_up_to import primes_up_to


def test_trial_division():
    for n in range(0, 200):
        expected = [k for k in range(2, n + 1) if all(k % d for d in range(2, k))]
        assert primes_up_to(n) == expected

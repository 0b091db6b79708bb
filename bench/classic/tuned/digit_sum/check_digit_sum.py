from digit_sum import digit_sum


def test_range():
    for n in range(-300, 3000, 7):
        assert digit_sum(n) == sum(int(c) for c in str(abs(n)))

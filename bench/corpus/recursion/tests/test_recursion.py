from recursion.functions import digit_sum, factorial, fibonacci, power


def test_factorial():
    assert [factorial(n) for n in range(6)] == [1, 1, 2, 6, 24, 120]


def test_fibonacci():
    assert [fibonacci(n) for n in range(8)] == [0, 1, 1, 2, 3, 5, 8, 13]


def test_digit_sum():
    assert digit_sum(0) == 0
    assert digit_sum(7) == 7
    assert digit_sum(1234) == 10


def test_power():
    assert power(2, 0) == 1
    assert power(2, 10) == 1024
    assert power(3, 5) == 243

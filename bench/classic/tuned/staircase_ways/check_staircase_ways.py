import itertools

from staircase_ways import staircase_ways


def brute(steps):
    count = 0
    for length in range(steps + 1):
        for moves in itertools.product((1, 2, 3), repeat=length):
            count += sum(moves) == steps
    return count


def test_against_brute_force():
    for steps in range(0, 11):
        assert staircase_ways(steps) == brute(steps)


def test_larger():
    expected = [1, 1, 2]
    for _ in range(3, 40):
        expected.append(sum(expected[-3:]))
    assert [staircase_ways(n) for n in range(40)] == expected

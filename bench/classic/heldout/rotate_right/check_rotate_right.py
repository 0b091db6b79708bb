import collections

from rotate_right import rotate_right


def test_deque():
    for n in range(0, 7):
        for k in range(0, 15):
            d = collections.deque(range(n))
            d.rotate(k)
            assert rotate_right(list(range(n)), k) == list(d)

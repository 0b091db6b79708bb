from to_binary import to_binary


def test_format():
    for n in range(0, 1000):
        assert to_binary(n) == format(n, "b")

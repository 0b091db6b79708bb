from fibonacci import fibonacci


def test_sequence():
    seq = [0, 1]
    for _ in range(30):
        seq.append(seq[-1] + seq[-2])
    assert [fibonacci(i) for i in range(30)] == seq[:30]

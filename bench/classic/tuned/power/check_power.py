from power import power


def test_table():
    for b in range(-4, 6):
        for e in range(0, 12):
            assert power(b, e) == b**e

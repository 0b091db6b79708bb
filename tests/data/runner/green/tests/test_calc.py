from calc import add, mul


def test_add():
    assert add(2, 3) == 5


def test_mul():
    assert mul(2, 3) == 6


class TestMul:
    def test_by_zero(self):
        assert mul(7, 0) == 0

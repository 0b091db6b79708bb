from title_case import title_case


def test_more():
    assert title_case("a b  c") == "A B  C"
    assert title_case("x1 yz") == "X1 Yz"

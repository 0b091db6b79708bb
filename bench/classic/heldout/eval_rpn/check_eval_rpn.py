from eval_rpn import eval_rpn


def test_nested():
    assert eval_rpn(["5", "1", "2", "+", "4", "*", "+", "3", "-"]) == 14
    assert eval_rpn(["1", "5", "-"]) == -4

from eval_rpn import eval_rpn


def test_add():
    assert eval_rpn(["2", "3", "+"]) == 5


def test_divide():
    assert eval_rpn(["8", "2", "/"]) == 4


def test_subtract():
    assert eval_rpn(["10", "4", "-"]) == 6

"""Steps through even numbers; the bug: `!=` never stops when `n` is odd."""


def step_to(n):
    i = 0
    while i != n:
        i += 2
    return i

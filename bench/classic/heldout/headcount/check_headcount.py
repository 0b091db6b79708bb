import random

from headcount import headcount


def reference(reports, manager):
    seen, stack = 0, list(reports.get(manager, []))
    while stack:
        seen += 1
        stack.extend(reports.get(stack.pop(), []))
    return seen


def test_random_trees():
    rng = random.Random(53)
    for _ in range(300):
        size = rng.randint(1, 15)
        reports = {}
        for person in range(1, size):
            reports.setdefault(rng.randrange(person), []).append(person)
        for manager in range(size):
            assert headcount(reports, manager) == reference(reports, manager)


def test_deep_chain():
    chain = {i: [i + 1] for i in range(50)}
    assert headcount(chain, 0) == 50
    assert headcount({}, "anyone") == 0

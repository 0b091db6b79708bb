"""Step-to-step changes in a series of readings."""


def differences(values):
    """The change between each reading and the next one."""
    steps = []
    for i in range(len(values)):
        steps.append(values[i + 1] - values[i])
    return steps


def largest_jump(values):
    """The biggest absolute change between two consecutive readings."""
    return max((abs(step) for step in differences(values)), default=0)

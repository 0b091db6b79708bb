"""Head counts in an organisation chart."""


def headcount(reports, manager):
    """How many people report to manager, directly or through other managers.

    reports maps a person to the list of their direct reports; the chart is a tree,
    and people with no reports may be missing from it.
    """
    total = 0
    for person in reports.get(manager, []):
        total += 1
    return total

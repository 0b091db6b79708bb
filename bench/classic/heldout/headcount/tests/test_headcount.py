from headcount import headcount

CHART = {"ceo": ["cto", "cfo"], "cto": ["dev1", "dev2"]}


def test_nobody():
    assert headcount(CHART, "dev1") == 0


def test_direct_reports_only():
    assert headcount(CHART, "cto") == 2


def test_whole_company():
    assert headcount(CHART, "ceo") == 4

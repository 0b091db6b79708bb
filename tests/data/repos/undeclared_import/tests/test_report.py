from report import human


def test_human(memory):
    assert human(2048) == "2 KiB"

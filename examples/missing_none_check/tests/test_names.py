from profiles.names import initials


def test_initials_of_a_full_name():
    assert initials("ada lovelace") == "AL"


def test_a_blank_name_has_no_initials():
    assert initials("   ") == ""


def test_a_missing_name_has_no_initials():
    assert initials(None) == ""

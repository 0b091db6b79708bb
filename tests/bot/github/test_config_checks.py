"""The `checks:` key names the checks that run tests whatever their logs say."""

from __future__ import annotations

import pytest

from bot.github.config import merge_config


def test_checks_globs_are_read_and_the_org_default_is_overridden() -> None:
    config = merge_config('checks: ["ci/*"]\n', 'checks: ["integration/*", "e2e"]\n', "a/b")
    assert config.checks == ["integration/*", "e2e"]
    assert merge_config(None, None, "a/b").checks == []


def test_checks_must_be_a_list_of_names() -> None:
    with pytest.raises(ValueError, match="checks"):
        merge_config(None, "checks: 5\n", "a/b")

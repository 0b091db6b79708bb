"""Repo config parsing: repo keys override org keys; bad files name the file and the key."""

import pytest

from bot.errors import ConfigInvalid
from bot.github.config import RepoConfig, merge_config


def test_no_files_means_defaults() -> None:
    assert merge_config(None, None, "o/r") == RepoConfig()


def test_repo_overrides_org_key_by_key() -> None:
    config = merge_config("max_candidates: 5\nauto_fix: false\n", "auto_fix: true\n", "o/r")
    assert config.max_candidates == 5 and config.auto_fix is True


def test_unknown_key_names_file_and_allowed_keys() -> None:
    with pytest.raises(
        ConfigInvalid, match=r"o/r:\.github/truth\.yml.*`max_candidate`.*Allowed keys"
    ):
        merge_config(None, "max_candidate: 3\n", "o/r")


def test_wrong_type_and_bad_yaml_and_non_mapping() -> None:
    with pytest.raises(ConfigInvalid, match=r"o/\.github"):
        merge_config("max_candidates: many\n", None, "o/r")
    with pytest.raises(ConfigInvalid, match="not valid YAML"):
        merge_config(None, "a: [\n", "o/r")
    with pytest.raises(ConfigInvalid, match="mapping"):
        merge_config(None, "- a\n- b\n", "o/r")

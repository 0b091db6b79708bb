"""The python, timeout, targets and env keys of .github/truth.yml."""

from __future__ import annotations

import pytest

from bot.github.config import RepoConfig, parse_config_text

try:
    from bot.errors import ConfigInvalid
except ImportError:  # before the errors module lands
    from bot.github.config import ConfigInvalid  # type: ignore[attr-defined,no-redef]


def config(text: str) -> RepoConfig:
    return RepoConfig.model_validate(parse_config_text(text, "repo:.github/truth.yml"))


def test_new_keys_parse_with_yaml_numbers_read_as_versions() -> None:
    parsed = config(
        "python: 3.9\ntimeout: 900\ntargets: [tests/test_a.py::test_x]\n"
        "env: {LANG: de_DE.UTF-8, TZ: Europe/Berlin}\n"
    )
    assert parsed.python == "3.9"
    assert parsed.timeout == 900
    assert parsed.targets == ["tests/test_a.py::test_x"]
    assert parsed.env == {"LANG": "de_DE.UTF-8", "TZ": "Europe/Berlin"}


def test_unoffered_python_says_which_are() -> None:
    with pytest.raises(ConfigInvalid, match=r"3\.9, 3\.11, 3\.13"):
        config('python: "3.12"\n')


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "PATH"])
def test_env_refuses_secrets_and_the_sandbox_own_variables(name: str) -> None:
    with pytest.raises(ConfigInvalid, match=f"{name} cannot be set here"):
        config(f"env: {{{name}: x}}\n")

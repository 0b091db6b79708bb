"""Dependency discovery on realistic sample repositories (tests/data/repos) and tricky files."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.discovery import choose_python, discover, discover_snapshot
from runner.discovery.python_version import PythonSignals
from runner.discovery.setup_py import read_setup_py
from runner.snapshot import RepoSnapshot

REPOS = Path(__file__).resolve().parent.parent / "data" / "repos"


def found_in(name: str):
    return discover_snapshot(RepoSnapshot.from_path(REPOS / name))


def sources(found) -> dict[str, list[str]]:
    return {f"{s.file} {s.what}".strip(): s.requirements for s in found.sources}


def test_setup_py_only_is_read_statically_and_installs_the_project() -> None:
    found = found_in("setup_py_only")
    assert sources(found) == {
        "setup.py install_requires": ["six>=1.16"],
        "setup.py [test]": ["pytest"],
    }
    assert found.project_file == "setup.py" and found.project_extras == ["test"]
    assert found.python.requires_python == (">=3.8", "setup.py")
    assert choose_python(found.python).version == "3.11"


def test_setup_py_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = (
        f"open({str(marker)!r}, 'w').write('x')\n"
        "from setuptools import setup\nsetup(install_requires=['a'])\n"
    )
    assert read_setup_py(text).install_requires == ["a"]
    assert not marker.exists()


def test_nested_test_requirements_follow_their_includes() -> None:
    found = found_in("nested_requirements")
    assert sources(found) == {
        "requirements/base.txt": ["attrs>=22.2"],
        "requirements/test.txt": ["pytest>=7"],
    }
    assert found.project_file == "pyproject.toml"  # `-e .` and [project] both say so
    assert "requirements/docs.txt" not in {s.file for s in found.sources}


def test_tox_only_deps_and_envlist() -> None:
    found = found_in("tox_only")
    assert sources(found) == {"tox.ini [testenv] deps": ["six>=1.16", "pytest"]}
    assert found.tox is not None and found.tox.commands == ["pytest tests"]
    assert found.python.tox_envlist == (["3.9", "3.11"], "tox.ini")
    assert found.project_file is None


def test_ci_workflow_install_step_is_the_only_record() -> None:
    found = found_in("ci_only")
    assert found.ci is not None
    assert found.ci.job == "tests"  # not the lint job
    assert found.ci.install_commands == ["pip install six==1.16.0"]
    assert found.ci.test_command == "pytest -q"
    assert found.ci.python_versions == ["3.10", "3.11"]
    assert found.installs_anything
    assert choose_python(found.python).version == "3.11"


def test_python_version_from_requires_python_and_classifiers() -> None:
    old = choose_python(found_in("py39_only").python)
    assert old.version == "3.9"
    assert "<3.10" in old.why and "setup.cfg" in old.why
    new = choose_python(found_in("py313_only").python)
    assert new.version == "3.13" and ">=3.13" in new.why


def test_python_config_key_overrides_and_unknown_versions_are_refused() -> None:
    signals = PythonSignals(requires_python=(">=3.13", "pyproject.toml"))
    assert choose_python(signals, "3.9").version == "3.9"
    with pytest.raises(ValueError, match=r"3\.9, 3\.11, 3\.13"):
        choose_python(signals, "3.12")
    pinned = PythonSignals(pinned=("3.12.4", ".python-version"))
    assert choose_python(pinned).version == "3.13"  # the nearest offered at or above


def test_poetry_pdm_pipfile_locks_and_constraints() -> None:
    files = {
        "pyproject.toml": (
            '[tool.poetry]\nname = "app"\n[tool.poetry.dependencies]\npython = "^3.9"\n'
            'requests = "^2.31"\nlocal = {path = "../local"}\n'
            '[tool.poetry.group.test.dependencies]\npytest-mock = "~3.12"\n'
            '[tool.pdm.dev-dependencies]\ntest = ["freezegun>=1.2"]\n'
        ),
        "poetry.lock": '[[package]]\nname = "requests"\nversion = "2.31.0"\n',
        "Pipfile": '[packages]\nattrs = "*"\n[dev-packages]\nhypothesis = ">=6"\n',
        "requirements-dev.txt": "-c constraints.txt\n--extra-index-url https://example/simple\nrich\n",
        "constraints.txt": "rich==13.7.1\n",
    }
    found = discover(files, files.get)
    got = sources(found)
    assert got["pyproject.toml dependencies"] == ["requests>=2.31,<3"]
    assert got["pyproject.toml [test]"] == ["freezegun>=1.2", "pytest-mock>=3.12,<3.13"]
    assert got["Pipfile install_requires"] == ["attrs"]
    assert got["Pipfile [dev]"] == ["hypothesis>=6"]
    assert found.constraints == ["rich==13.7.1", "requests==2.31.0"]
    assert found.options == ["--extra-index-url https://example/simple"]
    assert found.python.requires_python == (">=3.9,<4", "pyproject.toml")
    assert found.declared["local"] is None  # the library detector still sees it


def test_summary_says_what_comes_from_which_file() -> None:
    lines = found_in("setup_py_only").summary()
    assert lines == [
        "setup.py install_requires: 1 (six)",
        "setup.py [test]: 1 (pytest)",
        "the project itself (editable) from setup.py[test]",
    ]


def test_tox_deps_include_requirement_files_written_without_a_space() -> None:
    files = {
        "tox.ini": "[tox]\nenvlist = py311\n[testenv]\ndeps = -rci/test-reqs.txt\n    mock\n",
        "ci/test-reqs.txt": "hypothesis\n",
    }
    assert sources(discover(files, files.get)) == {
        "tox.ini [testenv] deps": ["mock"],
        "ci/test-reqs.txt (tox deps)": ["hypothesis"],
    }


def test_ci_test_command_is_the_default_unless_configured() -> None:
    from runner.session import chosen_command

    found = found_in("ci_only")
    assert chosen_command(None, found) == (
        "pytest -q",
        "the test command of job `tests` in .github/workflows/tests.yml",
    )
    assert chosen_command("python -m pytest tests", found) == ("python -m pytest tests", "")
    assert chosen_command(None, found_in("setup_py_only")) == (None, "")

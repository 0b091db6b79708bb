"""Sample repositories as a new user brings them: the natural test command, no config file.

Each reaches a verdict in a real sandbox: verified with the right Python and the dependencies
from wherever the repository declares them, or `environment_error` with the exact remedy.
Needs PyPI reachable from the prepare container and builds the 3.9/3.13 images once (cached).
"""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from runner.errors import DependencyPrepareError
from runner.limits import SandboxLimits
from runner.results import Verdict, Verification
from runner.session import Options, make_ready, run_baseline
from runner.snapshot import RepoSnapshot
from runner.tiered import environment_verdict, verify_tiered

REPOS = Path(__file__).resolve().parent.parent / "data" / "repos"
pytestmark = [pytest.mark.docker, pytest.mark.slow]


def verdict_for(
    client: docker.DockerClient, name: str, options: Options, patch: str = "fix.patch"
) -> tuple[Verification, list[str]]:
    lines: list[str] = []
    snapshot = RepoSnapshot.from_path(REPOS / name)
    ready = make_ready(client, snapshot, SandboxLimits(), options, lines.append)
    baseline = run_baseline(ready, snapshot, lines.append)
    stopped = environment_verdict(baseline, ready.context)
    if stopped is not None:
        return stopped, lines
    text = (REPOS / name / patch).read_text()
    args = (ready.command, baseline, None, ready.context, ready.baseline_limit)
    return verify_tiered(ready.sandbox, snapshot, text, *args), lines


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("setup_py_only", "pytest"),
        ("nested_requirements", None),
        ("tox_only", "tox -e py311"),
        ("ci_only", "pytest"),
    ],
)
def test_dependencies_from_where_the_repository_declares_them(
    docker_client: docker.DockerClient, name: str, command: str | None
) -> None:
    verification, lines = verdict_for(docker_client, name, Options(test_command=command))
    assert verification.verdict is Verdict.VERIFIED, (verification.reason, lines)


@pytest.mark.parametrize(
    ("name", "python"),
    [("py39_only", "3.9"), ("py313_only", "3.13")],
)
def test_code_for_one_python_runs_on_that_python(
    docker_client: docker.DockerClient, name: str, python: str
) -> None:
    verification, lines = verdict_for(docker_client, name, Options())
    assert lines[0].startswith(f"Python {python}: "), lines[0]
    assert verification.verdict is Verdict.VERIFIED, (verification.reason, lines)


def test_python_key_overriding_to_a_python_the_project_refuses_says_so(
    docker_client: docker.DockerClient,
) -> None:
    with pytest.raises(DependencyPrepareError, match=r"requires a different Python: 3\.11"):
        verdict_for(docker_client, "py39_only", Options(python="3.11"))


def test_undeclared_import_is_an_environment_error_with_its_remedy(
    docker_client: docker.DockerClient,
) -> None:
    verification, _ = verdict_for(docker_client, "undeclared_import", Options())
    assert verification.verdict is Verdict.ENVIRONMENT_ERROR
    assert verification.reason == (
        "tests/conftest.py imports psutil, which no dependency file declares: add psutil to "
        "requirements-test.txt, or set install_command in .github/truth.yml"
    )


@pytest.mark.parametrize(
    ("command", "cause"),
    [
        ("nosetests", "`nosetests` was not found in the sandbox (exit 127)"),
        ("python -m pytest -k no_such_test", "collected no tests (pytest exit 5)"),
    ],
)
def test_commands_that_cannot_run_the_tests_are_environment_errors(
    docker_client: docker.DockerClient, command: str, cause: str
) -> None:
    options = Options(test_command=command, env={"SLOW_TEST_SECONDS": "0"})
    verification, _ = verdict_for(docker_client, "slow_suite", options)
    assert verification.verdict is Verdict.ENVIRONMENT_ERROR
    assert cause in verification.reason


def test_tiered_drops_a_wrong_candidate_on_its_targets_and_verifies_the_right_one(
    docker_client: docker.DockerClient,
) -> None:
    options = Options(env={"SLOW_TEST_SECONDS": "0.05"})  # the env key reaches the tests
    wrong, _ = verdict_for(docker_client, "slow_suite", options, "wrong.patch")
    assert wrong.verdict is Verdict.FAILED
    assert wrong.reason.startswith("dropped at the first red target")
    assert wrong.patched is not None and set(wrong.patched.tests) == {
        "tests/test_prices.py::test_discount"
    }
    right, _ = verdict_for(docker_client, "slow_suite", options)
    assert right.verdict is Verdict.VERIFIED, right.reason
    assert right.patched is not None and len(right.patched.passing_tests()) == 30


def test_a_candidate_stopped_at_its_limit_says_which_limit_and_how_to_raise_it(
    docker_client: docker.DockerClient,
) -> None:
    """The baseline takes about a second, so the candidate's limit is about 3 x 1 s + 20 s."""
    options = Options(env={"SLOW_TEST_SECONDS": "0"})
    verification, _ = verdict_for(docker_client, "slow_suite", options, "hang.patch")
    assert verification.verdict is Verdict.TIMEOUT
    reason = verification.reason
    assert "s candidate time limit (3 times the baseline's" in reason
    assert "raise it with `timeout:` in .github/truth.yml or --timeout" in reason

"""Which dependency declarations are installed, and the cached prepare step on a real engine."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from runner.deps import dependency_spec, deps_tag, install_script
from runner.errors import DependencyPrepareError
from runner.limits import SandboxLimits
from runner.results import RunEnd
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot


def snapshot_of(tmp_path: Path, files: dict[str, str]) -> RepoSnapshot:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return RepoSnapshot.from_path(tmp_path)


def test_requirements_and_pyproject_test_extras_are_collected(tmp_path: Path) -> None:
    snapshot = snapshot_of(
        tmp_path,
        {
            "requirements.txt": "# pinned\nrequests==2.32.3  # http\n-e .\n-r other.txt\n./local\n",
            "requirements-dev.txt": "hypothesis\n",
            "pyproject.toml": '[project]\nname="x"\ndependencies=["attrs>=23"]\n'
            '[project.optional-dependencies]\ntest=["freezegun"]\ndocs=["sphinx"]\n',
            "sub/requirements.txt": "ignored-because-nested\n",
        },
    )
    assert dependency_spec(snapshot) == {
        "requirements.txt": "requests==2.32.3\n",
        "requirements-dev.txt": "hypothesis\n",
        "pyproject-requirements.txt": "attrs>=23\nfreezegun\n",
    }


def test_repo_without_declarations_needs_no_prepare(tmp_path: Path) -> None:
    snapshot = snapshot_of(
        tmp_path, {"pyproject.toml": "[tool.ruff]\nline-length=100\n", "a.py": ""}
    )
    assert dependency_spec(snapshot) == {}


def test_tag_changes_with_declarations_and_base_image() -> None:
    first = deps_tag("sha256:a", {"requirements.txt": "six\n"})
    assert first == deps_tag("sha256:a", {"requirements.txt": "six\n"})
    assert first != deps_tag("sha256:a", {"requirements.txt": "six==1.16.0\n"})
    assert first != deps_tag("sha256:b", {"requirements.txt": "six\n"})


def test_proxy_and_ca_settings_stay_inside_the_self_deleting_script() -> None:
    script = install_script(
        {"requirements.txt": "six\n"},
        ca_bundle=True,
        host_env={"HTTPS_PROXY": "http://user:pw@proxy:3128", "TRUTH_GITHUB_PRIVATE_KEY": "secret"},
    )
    assert "export HTTPS_PROXY=http://user:pw@proxy:3128" in script
    assert "export PIP_CERT=/etc/truth-ca-bundle.pem" in script
    assert "trap 'rm -rf /tmp/truth-deps' EXIT" in script
    assert "secret" not in script


@pytest.mark.docker
@pytest.mark.slow
def test_declared_dependency_is_installed_once_and_usable_without_network(
    tmp_path: Path, docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    """Needs PyPI reachable from a container (true on the project's machines)."""
    snapshot = snapshot_of(
        tmp_path,
        {
            "requirements.txt": "six==1.16.0\n",
            "tests/test_six.py": "import six\n\ndef test_six():\n    assert six.PY3\n",
        },
    )
    base = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=30))
    assert base.run(snapshot).failing_tests() == ["tests/test_six.py"]  # not in the base image
    prepared = base.prepare(snapshot)
    assert prepared.image.startswith("truth-sandbox-deps:")
    assert base.prepare(snapshot).image == prepared.image  # cached, not rebuilt
    config = docker_client.images.get(prepared.image).attrs["Config"]
    assert not any("PIP_CERT" in e or "PROXY" in e.upper() for e in config["Env"])
    result = prepared.run(snapshot)
    assert result.end is RunEnd.EXITED and result.exit_code == 0, result.stdout
    assert result.passing_tests() == ["tests/test_six.py::test_six"]


def test_install_command_runs_in_a_copy_of_the_tree_with_the_venv_active() -> None:
    script = install_script({}, ca_bundle=False, host_env={}, install_command="pip install .")
    assert "pip install -r" not in script
    assert script.index("cd /tmp/truth-deps/repo") < script.index("sh -c 'pip install .'")
    assert "export PATH=/opt/venv/bin:$PATH" in script


def test_install_command_is_part_of_the_cache_key() -> None:
    plain = deps_tag("sha256:base", {"requirements.txt": "six\n"})
    custom = deps_tag("sha256:base", {"requirements.txt": "six\n"}, "pip install .", "tree1")
    other_tree = deps_tag("sha256:base", {"requirements.txt": "six\n"}, "pip install .", "tree2")
    assert len({plain, custom, other_tree}) == 3


@pytest.mark.docker
@pytest.mark.slow
def test_repository_install_command_installs_the_project_itself(
    tmp_path: Path, docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    """`pip install .` of a package outside the test path proves the command ran on the tree."""
    snapshot = snapshot_of(
        tmp_path,
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["setuptools"]\n'
                'build-backend = "setuptools.build_meta"\n'
                '[project]\nname = "tiny"\nversion = "1.0"\n'
                '[tool.setuptools]\npackage-dir = {"" = "src"}\n'
            ),
            "src/tiny/__init__.py": "ANSWER = 42\n",
            "tests/test_tiny.py": (
                "import tiny\n\ndef test_answer():\n    assert tiny.ANSWER == 42\n"
            ),
        },
    )
    base = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=30))
    assert base.run(snapshot).failing_tests() == ["tests/test_tiny.py"]  # src/ is not importable
    prepared = base.prepare(snapshot, install_command="pip install --no-build-isolation .")
    result = prepared.run(snapshot)
    assert result.passed, result.stdout
    assert result.passing_tests() == ["tests/test_tiny.py::test_answer"]


@pytest.mark.docker
@pytest.mark.slow
def test_failing_install_command_says_what_failed(
    tmp_path: Path, docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    snapshot = snapshot_of(tmp_path, {"tests/test_x.py": "def test_x():\n    pass\n"})
    base = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=30))
    with pytest.raises(DependencyPrepareError, match="exit 3"):
        base.prepare(snapshot, install_command="echo broken-install >&2; exit 3")

"""Which dependency declarations are installed, and the cached prepare step on a real engine."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from runner.deps import (
    dependency_spec,
    deps_tag,
    install_report,
    parse_report,
    plan_for,
    script_for,
)
from runner.egress_fence import relay_lines
from runner.errors import DependencyPrepareError
from runner.limits import SandboxLimits
from runner.results import RunEnd
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot

SETUP_PY = """from setuptools import setup

REQUIRES = ["six==1.16.0"]

setup(name="calc", version="1.0", packages=["calc"], install_requires=REQUIRES,
      extras_require={"test": ["pytest"]})
"""


def snapshot_of(tmp_path: Path, files: dict[str, str]) -> RepoSnapshot:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return RepoSnapshot.from_path(tmp_path)


def test_requirements_and_pyproject_test_extras_are_planned_by_source(tmp_path: Path) -> None:
    snapshot = snapshot_of(
        tmp_path,
        {
            "requirements.txt": "# pinned\nrequests==2.32.3  # http\n-e .\n-r other.txt\n",
            "other.txt": "idna\n",
            "requirements-dev.txt": "hypothesis\n",
            "requirements-docs.txt": "sphinx\n",
            "pyproject.toml": '[project]\nname="x"\ndependencies=["attrs>=23"]\n'
            '[project.optional-dependencies]\ntest=["freezegun"]\ndocs=["sphinx"]\n',
        },
    )
    plan = plan_for(snapshot)
    assert sorted(plan.files.values()) == sorted(
        ["hypothesis\n", "requests==2.32.3\n", "idna\n", "attrs>=23\n", "freezegun\n"]
    )
    assert "sphinx\n" not in plan.files.values()  # docs requirements are not for tests
    assert plan.project_extras == ["test"]
    assert sorted(plan.labels.values()) == [
        "other.txt (included by requirements.txt)",
        "pyproject.toml [test]",
        "pyproject.toml dependencies",
        "requirements-dev.txt",
        "requirements.txt",
    ]


def test_repo_without_declarations_needs_no_prepare(tmp_path: Path) -> None:
    snapshot = snapshot_of(
        tmp_path, {"pyproject.toml": "[tool.ruff]\nline-length=100\n", "a.py": ""}
    )
    assert plan_for(snapshot).empty
    assert dependency_spec(snapshot) == {}


def test_tag_follows_dependency_inputs_not_other_files(tmp_path: Path) -> None:
    files = {"requirements.txt": "six\n", "README.md": "one", "tests/test_a.py": ""}
    first = plan_for(snapshot_of(tmp_path / "a", files))
    readme = plan_for(snapshot_of(tmp_path / "b", {**files, "README.md": "two"}))
    pinned = plan_for(snapshot_of(tmp_path / "c", {**files, "requirements.txt": "six==1.16\n"}))
    assert deps_tag("sha256:a", first) == deps_tag("sha256:a", readme)
    assert deps_tag("sha256:a", first) != deps_tag("sha256:a", pinned)
    assert deps_tag("sha256:a", first) != deps_tag("sha256:b", first)  # another Python/base
    command = plan_for(snapshot_of(tmp_path / "a", files), install_command="pip install .")
    assert deps_tag("sha256:a", first) != deps_tag("sha256:a", command)


def test_proxy_and_ca_settings_stay_inside_the_self_deleting_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The host's proxy variables and secrets never reach the script: only the egress relay.
    monkeypatch.setenv("HTTPS_PROXY", "http://user:pw@host-proxy:3128")
    monkeypatch.setenv("TRUTH_GITHUB_PRIVATE_KEY", "secret")
    plan = plan_for(snapshot_of(tmp_path, {"requirements.txt": "six\n"}))
    script = script_for(plan, ca_bundle=True, egress=relay_lines("https://mirror.corp/simple"))
    assert "HTTPS_PROXY=http://127.0.0.1:3128" in script
    assert "export PIP_INDEX_URL=https://mirror.corp/simple" in script
    assert "export PIP_CERT=/etc/truth-ca-bundle.pem" in script
    assert "trap 'rm -rf /tmp/truth-deps /workspace/repo' EXIT" in script
    assert "host-proxy" not in script and "secret" not in script


def test_step_markers_become_a_report_naming_the_declaring_file(tmp_path: Path) -> None:
    plan = plan_for(snapshot_of(tmp_path, {"setup.py": SETUP_PY, "calc/__init__.py": ""}))
    logs = (
        "TRUTH-STEP ok 2 upgrade pip\nTRUTH-STEP failed 4 req-01.txt (exit 1)\n"
        "TRUTH-LOG ERROR: No matching distribution found for nosuchpkg\n"
        "TRUTH-FACT python 3.11.2\n"
    )
    report = parse_report(logs, plan)
    assert report.failed()[0]["name"] == "setup.py install_requires (exit 1)"
    assert "No matching distribution found for nosuchpkg" in "\n".join(report.lines())
    assert report.facts == {"python": "3.11.2"}


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


@pytest.mark.docker
@pytest.mark.slow
def test_setup_py_only_project_is_installed_editable_with_a_report(
    tmp_path: Path, docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    """Deps only in setup.py; bare `pytest` runs in the prepared venv; a README edit reuses it."""
    files = {
        "setup.py": SETUP_PY,
        "README.md": "calc\n",
        "calc/__init__.py": "import six\n\ndef double(x):\n    return x * 2\n",
        "tests/test_calc.py": "from calc import double\n\ndef test_double():\n"
        "    assert double(2) == 4\n",
    }
    snapshot = snapshot_of(tmp_path / "one", files)
    base = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=60))
    prepared = base.prepare(snapshot)
    result = prepared.run(snapshot, "pytest")
    assert result.passing_tests() == ["tests/test_calc.py::test_double"], result.stdout
    report = install_report(docker_client, prepared.image)
    assert report is not None
    assert ("ok", "declared requirements") in {(s["status"], s["name"]) for s in report.steps}
    assert "setup.py install_requires: 1 (six)" in report.plan
    assert any(line.startswith("the project itself") for line in report.plan)
    edited = snapshot_of(tmp_path / "two", {**files, "README.md": "calc, now documented\n"})
    assert base.prepare(edited).image == prepared.image

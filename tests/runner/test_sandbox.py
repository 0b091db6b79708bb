"""The sandbox's guarantees on a real engine: cleanup, limits, streams."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import docker
import pytest

from runner.limits import SandboxLimits
from runner.results import RunEnd
from runner.sandbox import LABEL, Sandbox, reap_leftovers
from runner.snapshot import RepoSnapshot

DATA = Path(__file__).resolve().parent.parent / "data" / "runner"


@pytest.fixture
def label(docker_client: docker.DockerClient):  # type: ignore[no-untyped-def]
    value = uuid.uuid4().hex
    yield value
    left = docker_client.containers.list(all=True, filters={"label": f"{LABEL}.test={value}"})
    assert left == [], f"containers left behind: {left}"


@pytest.mark.docker
def test_container_is_removed_when_the_runner_itself_fails(
    docker_client: docker.DockerClient, sandbox_image: str, label: str
) -> None:
    class Crashing(Sandbox):
        def _stream(self, *args: object) -> bool:
            raise RuntimeError("runner bug while streaming")

    sandbox = Crashing(
        docker_client, sandbox_image, SandboxLimits(), labels={f"{LABEL}.test": label}
    )
    with pytest.raises(RuntimeError, match="runner bug"):
        sandbox.run(RepoSnapshot.from_path(DATA / "buggy"))


@pytest.mark.docker
def test_missing_image_is_an_error_result_not_a_crash(
    docker_client: docker.DockerClient, label: str
) -> None:
    sandbox = Sandbox(
        docker_client, "truth-sandbox:missing", SandboxLimits(), labels={f"{LABEL}.test": label}
    )
    result = sandbox.run(RepoSnapshot.from_path(DATA / "buggy"))
    assert result.end is RunEnd.ERROR
    assert "sandbox run failed" in result.reason


@pytest.mark.docker
def test_non_pytest_command_runs_without_evidence_and_stderr_keeps_head_and_tail(
    docker_client: docker.DockerClient, sandbox_image: str, label: str
) -> None:
    limits = SandboxLimits(output_bytes=1000, wall_seconds=20)
    sandbox = Sandbox(docker_client, sandbox_image, limits, labels={f"{LABEL}.test": label})
    command = (
        "python -c \"import sys, calc; sys.stderr.write('e' * 5000); assert calc.add(2, 3) == 5\""
    )
    result = sandbox.run(RepoSnapshot.from_path(DATA / "buggy"), command)
    assert result.end is RunEnd.EXITED
    assert result.exit_code == 1
    assert result.tests == {} and not result.has_evidence
    assert result.stderr_truncated and result.stderr.startswith("e" * 700)
    assert "more bytes not kept" in result.stderr
    assert result.stderr.rstrip().endswith("AssertionError")  # the end of the output survives


@pytest.mark.docker
def test_repeated_runs_do_not_leak_descriptors(
    docker_client: docker.DockerClient, sandbox_image: str, label: str
) -> None:
    sandbox = Sandbox(
        docker_client, sandbox_image, SandboxLimits(wall_seconds=1), labels={f"{LABEL}.test": label}
    )
    snapshot = RepoSnapshot.from_path(DATA / "buggy")
    for _ in range(12):  # fill the client's connection pool first
        sandbox.run(snapshot, "true")
    before = len(os.listdir("/proc/self/fd"))
    ends = [sandbox.run(snapshot, "sleep 5" if i % 2 else "true").end for i in range(10)]
    assert ends.count(RunEnd.TIMEOUT) == 5 and ends.count(RunEnd.EXITED) == 5
    assert len(os.listdir("/proc/self/fd")) <= before + 1


@pytest.mark.docker
def test_reaper_removes_only_old_leftovers(
    docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    mine = {f"{LABEL}.test": uuid.uuid4().hex}
    leftover = docker_client.containers.create(sandbox_image, "true", labels={LABEL: "1", **mine})
    try:
        assert reap_leftovers(docker_client, older_than_seconds=3600, labels=mine) == 0
        assert reap_leftovers(docker_client, older_than_seconds=0, labels=mine) == 1
        assert docker_client.containers.list(all=True, filters={"id": leftover.id}) == []
    finally:
        with contextlib.suppress(docker.errors.NotFound):
            leftover.remove(force=True)

"""Hostile candidates through the real runner: each ends with a clear verdict in bounded time,
leaves no container behind and leaves this (worker) process healthy."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from runner.limits import SandboxLimits
from runner.results import RunResult, Verdict, Verification
from runner.sandbox import LABEL, Sandbox
from runner.snapshot import RepoSnapshot
from runner.verify import verify

pytestmark = pytest.mark.docker

DATA = Path(__file__).resolve().parent.parent / "data" / "runner"
COMMAND = "python -m pytest -q -s -p no:cacheprovider"
WALL = 5.0
LIMITS = SandboxLimits(memory_mb=256, cpus=1.0, pids=64, wall_seconds=WALL, scratch_mb=64)
# Creating and removing a container on a busy shared machine can take a few seconds on its own.
MARGIN = 20.0


def candidate(probe: str) -> str:
    """A candidate patch: the right fix for calc.add plus a hostile test module."""
    lines = probe.strip("\n").splitlines()
    added = "".join(f"+{line}\n" for line in lines)
    new_file = f"--- /dev/null\n+++ b/tests/test_hostile.py\n@@ -0,0 +1,{len(lines)} @@\n{added}"
    return (DATA / "right.patch").read_text() + new_file


@pytest.fixture(scope="module")
def snapshot() -> RepoSnapshot:
    return RepoSnapshot.from_path(DATA / "buggy")


@pytest.fixture(scope="module")
def baseline(
    docker_client: docker.DockerClient, sandbox_image: str, snapshot: RepoSnapshot
) -> RunResult:
    result = Sandbox(docker_client, sandbox_image, LIMITS).run(snapshot, COMMAND)
    assert result.failing_tests() == ["tests/test_calc.py::test_add"], result.stdout
    return result


@pytest.fixture
def hostile(
    docker_client: docker.DockerClient,
    sandbox_image: str,
    snapshot: RepoSnapshot,
    baseline: RunResult,
) -> Iterator[object]:
    label = uuid.uuid4().hex

    def run(probe: str, limits: SandboxLimits = LIMITS) -> tuple[Verification, float]:
        sandbox = Sandbox(docker_client, sandbox_image, limits, labels={f"{LABEL}.test": label})
        started = time.monotonic()
        # These probe the container's walls, so the hostile test module is let in knowingly.
        result = verify(
            sandbox, snapshot, candidate(probe), COMMAND, baseline=baseline, allow_test_changes=True
        )
        elapsed = time.monotonic() - started
        assert elapsed < limits.wall_seconds + MARGIN, f"took {elapsed:.1f} s"
        return result, elapsed

    yield run
    left = docker_client.containers.list(all=True, filters={"label": f"{LABEL}.test={label}"})
    assert left == [], f"containers left behind: {left}"
    assert docker_client.ping()


FORK_BOMB = """
import os

def test_fork_bomb():
    while True:
        try:
            os.fork()
        except OSError:
            pass
"""

MEMORY_BOMB = """
def test_memory_bomb():
    hoard = []
    while True:
        hoard.append(b"x" * (16 << 20))
"""

INFINITE_LOOP = """
def test_spin():
    while True:
        pass
"""

SLEEPER = """
import time

def test_sleep():
    time.sleep(600)
"""


@pytest.mark.parametrize(
    ("probe", "expected"),
    [
        (FORK_BOMB, {Verdict.TIMEOUT, Verdict.RESOURCE_LIMIT}),
        (MEMORY_BOMB, {Verdict.RESOURCE_LIMIT}),
        (INFINITE_LOOP, {Verdict.TIMEOUT}),
        (SLEEPER, {Verdict.TIMEOUT}),
    ],
    ids=["fork-bomb", "memory-bomb", "infinite-loop", "sleep-past-limit"],
)
def test_runaway_candidates_are_stopped(hostile, probe: str, expected: set[Verdict]) -> None:  # type: ignore[no-untyped-def]
    result, _ = hostile(probe)
    assert result.verdict in expected, (result.verdict, result.reason)
    assert result.reason


def test_huge_output_is_capped_while_streaming(hostile) -> None:  # type: ignore[no-untyped-def]
    probe = """
import os

def test_loud():
    block = b"y" * (1 << 20)
    for _ in range(100):
        os.write(1, block)
"""
    limits = SandboxLimits(
        memory_mb=256, pids=64, wall_seconds=60, scratch_mb=64, output_bytes=1 << 20
    )
    result, _ = hostile(probe, limits)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.patched is not None
    assert result.patched.stdout_truncated
    assert len(result.patched.stdout) < (1 << 20) + 200
    assert "more bytes not kept" in result.patched.stdout


# The probes below assert that the attack fails; VERIFIED therefore means "contained".
NETWORK = """
import socket
import pytest

def test_no_tcp():
    with pytest.raises(OSError):
        socket.create_connection(("1.1.1.1", 443), timeout=2)
    with pytest.raises(OSError):
        socket.create_connection(("172.17.0.1", 2375), timeout=2)

def test_no_dns():
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("pypi.org", 443)
"""

WRITES = """
import pathlib
import pytest

TARGETS = ["/evil", "/etc/evil", "/usr/lib/evil", "/var/tmp/evil", "/root/evil"]

@pytest.mark.parametrize("target", TARGETS)
def test_cannot_write_outside_the_workspace(target):
    with pytest.raises(OSError):
        pathlib.Path(target).write_text("owned")

def test_workspace_and_tmp_are_writable():
    pathlib.Path("scratch.txt").write_text("ok")
    pathlib.Path("/tmp/scratch.txt").write_text("ok")
"""

PRIVILEGES = """
import os
import shutil
import subprocess
import pytest

def test_not_root_and_cannot_become_root():
    assert os.geteuid() != 0
    with pytest.raises(PermissionError):
        os.setuid(0)
    status = open("/proc/self/status").read()
    assert "NoNewPrivs:\\t1" in status
    assert "CapEff:\\t0000000000000000" in status

def test_setuid_binaries_do_not_grant_root():
    shutil.copy("/bin/sh", "/tmp/rootsh")
    os.chmod("/tmp/rootsh", 0o4755)
    out = subprocess.run(["/tmp/rootsh", "-c", "id -u"], capture_output=True, text=True)
    assert out.stdout.strip() != "0"
    su = subprocess.run(["su", "-c", "id", "root"], capture_output=True, stdin=subprocess.DEVNULL)
    assert su.returncode != 0
"""

BACKGROUND = """
import os
import subprocess

def test_leave_processes_behind():
    subprocess.Popen(["sh", "-c", "sleep 600"], start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                pass
        os._exit(0)
"""


@pytest.mark.parametrize(
    "probe", [NETWORK, WRITES, PRIVILEGES], ids=["network-and-dns", "writes-outside", "privileges"]
)
def test_escape_attempts_are_contained(hostile, probe: str) -> None:  # type: ignore[no-untyped-def]
    result, _ = hostile(probe)
    assert result.verdict is Verdict.VERIFIED, (
        result.reason,
        result.patched and result.patched.stdout,
    )
    assert result.patched is not None
    assert any(t.startswith("tests/test_hostile.py::") for t in result.patched.passing_tests())


def test_background_processes_do_not_outlive_the_run(hostile) -> None:  # type: ignore[no-untyped-def]
    result, elapsed = hostile(BACKGROUND)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert elapsed < WALL + MARGIN


def test_worker_secrets_are_not_visible(hostile, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    canary = f"canary-{uuid.uuid4().hex}"
    monkeypatch.setenv("TRUTH_GITHUB_WEBHOOK_SECRET", canary)
    probe = f"""
import os
import pathlib

def test_read_environment():
    print(dict(os.environ))
    assert not any("{canary[:15]}" in v for v in os.environ.values())
    for environ in pathlib.Path("/proc").glob("[0-9]*/environ"):
        try:
            assert b"{canary[:15]}" not in environ.read_bytes()
        except PermissionError:
            pass
"""
    result, _ = hostile(probe)
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.patched is not None and canary not in result.patched.stdout
    assert "'HOME': '/tmp'" in result.patched.stdout  # the probe really printed the environment


def test_host_files_outside_the_snapshot_are_unreachable(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = Path("/tmp") / f"truth-host-canary-{uuid.uuid4().hex}"
    secret.write_text("host-only-data")
    try:
        probe = f"""
import pathlib

def test_read_host_file():
    assert not pathlib.Path("{secret}").exists()
    assert not pathlib.Path("/var/run/docker.sock").exists()
"""
        result, _ = hostile(probe)
    finally:
        secret.unlink()
    assert result.verdict is Verdict.VERIFIED, result.reason
    assert result.patched is not None and "host-only-data" not in result.patched.stdout

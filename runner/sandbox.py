"""Runs one command on one repository snapshot in a fresh, locked-down, always-removed container.

Design: the container is created with stdin attached; the run's secret, its plan, the repository
(a tar built once per snapshot) and the patch are streamed over stdin into a tmpfs workspace, so
no host path is ever mounted. The container's first process is the supervisor
(runner/inside/supervise.py): it prepares the tree and runs the tests as an unprivileged uid,
collects each test's report as it happens, and prints one signed report after a per-run marker,
so a single attach stream carries everything and nothing the tests write is taken on trust.

Cold-start cost is dominated by create + start + remove (~3 engine round trips). A warm pool could
later keep N started containers blocked in `read` on stdin (the supervisor reads the marker
first), each used once and then discarded, taking create/start off the critical path.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
from docker.errors import APIError, DockerException, NotFound
from docker.types import LogConfig, Ulimit

from runner.egress_fence import EgressPolicy
from runner.limits import SandboxLimits
from runner.output import CappedBuffer, TrailerSplitter
from runner.redact import redact
from runner.reports import judge_report
from runner.results import RunEnd, RunResult
from runner.snapshot import SANDBOX_UID, RepoSnapshot
from runner.supervisor import REPORT_GRACE_SECONDS, SUPERVISOR_SOURCE, RunPlan
from runner.wrapper import WORKSPACE, command_to_run

TRAILER_LIMIT = 64 * 1024 * 1024

LABEL = "truth-engine"
SANDBOX_ENV = {
    "PATH": "/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _read_exact(sock: socket.socket, size: int, deadline: float) -> bytes | None:
    """Exactly `size` bytes, None on end of stream; raises TimeoutError past the deadline."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        try:
            chunk = sock.recv(min(remaining, 1 << 16))
        except TimeoutError:
            raise
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class Sandbox:
    """Fresh-container runs of one image under one set of limits."""

    def __init__(
        self,
        client: docker.DockerClient,
        image: str,
        limits: SandboxLimits,
        labels: dict[str, str] | None = None,
    ) -> None:
        self.client = client
        self.image = image
        self.limits = limits
        # Extra labels let a caller (a worker, a test) find exactly its own containers.
        self.labels = {**(labels or {}), LABEL: "1"}
        self._image_id: str | None = None

    @property
    def image_id(self) -> str:
        if self._image_id is None:
            self._image_id = str(self.client.images.get(self.image).id)
        return self._image_id

    def _safe_image_id(self) -> str:
        try:
            return self.image_id
        except DockerException:
            return self.image

    def prepare(
        self,
        snapshot: RepoSnapshot,
        ca_bundle: Path | None = None,
        install_command: str | None = None,
        egress: EgressPolicy | None = None,
    ) -> Sandbox:
        """A sandbox on an image with the snapshot's dependencies installed (cached), declared
        ones and whatever the repository's own `install_command` installs; the install reaches
        only the package index hosts `egress` allows (default: PyPI)."""
        from runner.deps import prepare_image

        image = prepare_image(
            self.client, self.image, snapshot, self.limits, ca_bundle, install_command, egress
        )
        return (
            self if image == self.image else Sandbox(self.client, image, self.limits, self.labels)
        )

    def host_config(self) -> dict[str, Any]:
        limits = self.limits
        memory = f"{limits.memory_mb}m"
        scratch = f"rw,exec,nosuid,nodev,size={limits.scratch_mb}m"
        # Docker copies the image directory's mode onto the tmpfs, so ownership must be explicit.
        workspace = f"{scratch},uid={SANDBOX_UID},gid={SANDBOX_UID}"
        return dict(
            network_mode="none",
            cap_drop=["ALL"],
            cap_add=["SETUID", "SETGID"],
            security_opt=["no-new-privileges"],
            read_only=True,
            tmpfs={
                WORKSPACE: workspace,
                "/tmp": f"{scratch},mode=1777",
                # The supervisor's own files (the evidence plugin): root's, read-only to tests.
                "/truth": "rw,noexec,nosuid,nodev,size=1m,mode=0755",
            },
            mem_limit=memory,
            memswap_limit=memory,
            nano_cpus=int(limits.cpus * 1e9),
            pids_limit=limits.pids,
            ipc_mode="private",
            log_config=LogConfig(type="none"),
            ulimits=[Ulimit(name="core", soft=0, hard=0)],
        )

    def run(
        self,
        snapshot: RepoSnapshot,
        command: str | None = None,
        patch: str | None = None,
        frozen: dict[str, bytes | None] | None = None,
    ) -> RunResult:
        """Run `command` (default: pytest) on `snapshot` with `patch` applied first, if given;
        `frozen` files (the baseline's tests and test configuration) are put back after it,
        and those mapped to None (measurement files the patch added) are removed."""
        plan = RunPlan(
            command=command_to_run(command, frozenset(snapshot.files)),
            wall_seconds=self.limits.wall_seconds,
            per_test_seconds=(self.limits.hang_dump_seconds or self.limits.wall_seconds) + 0.5,
            hang_dump_seconds=self.limits.hang_dump_seconds,
            output_bytes=self.limits.output_bytes,
            env=dict(SANDBOX_ENV),
            test_uid=SANDBOX_UID,
        )
        extra = {} if patch is None else {"patch.diff": patch.encode("utf-8")}
        if patch is not None and frozen:
            extra.update({f"frozen/{n}": data for n, data in frozen.items() if data is not None})
            removed = "".join(f"{n}\n" for n, data in frozen.items() if data is None)
            extra["remove.txt"] = removed.encode("utf-8")
        payload = plan.payload(snapshot.archive_with(extra))
        stdout = CappedBuffer(TRAILER_LIMIT)
        stderr = CappedBuffer(self.limits.output_bytes)
        splitter = TrailerSplitter(b"\n" + plan.mark.encode(), stdout, CappedBuffer(TRAILER_LIMIT))
        started_at, clock = _now(), time.monotonic()
        container_id: str | None = None
        end, exit_code, reason = RunEnd.ERROR, None, ""
        oom = False
        try:
            created = self.client.api.create_container(
                self.image,
                command=["python3", "-I", "-c", SUPERVISOR_SOURCE],
                # Root only to hand the tests to their own uid; the supervisor then drops to
                # another uid and the container never holds more than SETUID/SETGID.
                user="0:0",
                working_dir=WORKSPACE,
                environment=dict(SANDBOX_ENV),
                stdin_open=True,
                tty=False,
                hostname="sandbox",
                network_disabled=True,
                labels=dict(self.labels),
                host_config=self.client.api.create_host_config(**self.host_config()),
            )
            container_id = str(created["Id"])
            timed_out = self._stream(container_id, payload, splitter, stderr)
            if timed_out:
                end, reason = (
                    RunEnd.TIMEOUT,
                    f"killed at the {self.limits.wall_seconds:g} s wall-time limit",
                )
            else:
                exit_code = int(self.client.api.wait(container_id, timeout=30)["StatusCode"])
                state = self.client.api.inspect_container(container_id)["State"]
                oom = bool(state.get("OOMKilled"))
        except (DockerException, OSError) as exc:
            reason = f"sandbox run failed: {type(exc).__name__}: {exc}"
        finally:
            if container_id is not None:
                with contextlib.suppress(NotFound, APIError):
                    self.client.api.remove_container(container_id, force=True)
        splitter.close()
        result = RunResult(
            command=plan.command,
            image_id=self._safe_image_id(),
            end=end,
            exit_code=exit_code,
            started_at=started_at,
            finished_at=_now(),
            duration_ms=round((time.monotonic() - clock) * 1000.0, 1),
            stdout=redact(stdout.text()),
            stderr=redact(stderr.text()),
            reason=reason,
        )
        if end is RunEnd.ERROR and reason:
            return result
        if end is RunEnd.TIMEOUT:
            return result
        report, problem = (
            plan.read_report(splitter.trailer.getvalue())
            if splitter.found
            else (None, "the sandbox ended before its supervisor reported")
        )
        return judge_report(result, report, problem, oom, patch is not None, self.limits)

    def _stream(
        self, container_id: str, payload: bytes, splitter: TrailerSplitter, stderr: CappedBuffer
    ) -> bool:
        """Feed stdin, demultiplex output until the container exits; True if the wall limit hit."""
        params = {"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
        wrapped = self.client.api.attach_socket(container_id, params=params)
        sock: socket.socket = getattr(wrapped, "_sock", wrapped)
        try:
            self.client.api.start(container_id)
            # The supervisor stops the tests at the wall limit itself and then reports; the
            # engine-side kill is the backstop for a supervisor that cannot.
            deadline = time.monotonic() + self.limits.wall_seconds + REPORT_GRACE_SECONDS
            sock.settimeout(max(0.1, self.limits.wall_seconds + REPORT_GRACE_SECONDS))
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            while True:
                header = _read_exact(sock, 8, deadline)
                if header is None:
                    return False
                stream_type, size = struct.unpack(">BxxxL", header)
                left = size
                while left:
                    piece = _read_exact(sock, min(left, 1 << 16), deadline)
                    if piece is None:
                        return False
                    left -= len(piece)
                    (splitter.feed if stream_type == 1 else stderr.write)(piece)
        except TimeoutError:
            with contextlib.suppress(NotFound, APIError):
                self.client.api.kill(container_id)
            return True
        finally:
            with contextlib.suppress(OSError):
                wrapped.close()
            with contextlib.suppress(OSError):
                sock.close()


def reap_leftovers(
    client: docker.DockerClient,
    older_than_seconds: float = 3600.0,
    labels: dict[str, str] | None = None,
) -> int:
    """Remove Truth Engine containers left by a killed worker; only old ones, so that other
    workers' live runs are never touched. Returns how many were removed."""
    wanted = [f"{k}={v}" for k, v in {LABEL: "1", **(labels or {})}.items()]
    removed = 0
    now = time.time()
    for summary in client.api.containers(all=True, filters={"label": wanted}):
        if now - float(summary.get("Created", now)) < older_than_seconds:
            continue
        with contextlib.suppress(NotFound, APIError):
            client.api.remove_container(summary["Id"], force=True)
            removed += 1
    return removed

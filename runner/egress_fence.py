"""Starting the egress proxy container beside a prepare step, and the policy it enforces."""

from __future__ import annotations

import contextlib
import io
import secrets
import shlex
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import docker
from docker.errors import APIError, NotFound
from docker.types import Mount

from runner.errors import DependencyPrepareError
from runner.snapshot import SANDBOX_UID

EGRESS_SOURCE = Path(__file__).with_name("egress.py")
PYPI_HOSTS = ("pypi.org", "files.pythonhosted.org")
# The proxy's Unix socket lives on a fresh volume; mounted at /workspace in the proxy container
# so Docker copies that directory's sandbox ownership onto the empty volume.
PROXY_DIR = "/workspace"
SOCKET_NAME = "proxy.sock"
EGRESS_MOUNT = "/egress"
RELAY_PORT = 3128
START_SECONDS = 15.0


@dataclass(frozen=True)
class EgressPolicy:
    """Where the prepare step may connect: the index hosts, optionally via an upstream proxy.

    Built from Truth Engine's settings, never from the host's environment variables.
    """

    index_url: str | None = None
    extra_hosts: tuple[str, ...] = ()
    upstream_proxy: str | None = None
    # The Docker network the proxy container joins (None: the engine's default bridge).
    proxy_network: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        hosts = list(PYPI_HOSTS) if self.index_url is None else []
        if self.index_url is not None:
            host = urlsplit(self.index_url).hostname
            if not host:
                raise DependencyPrepareError(
                    f"The package index URL {self.index_url!r} has no host; set it to the "
                    "index's full URL, e.g. https://pypi.org/simple."
                )
            hosts.append(host)
        return tuple(dict.fromkeys(h.lower() for h in [*hosts, *self.extra_hosts]))


def _source_archive() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        data = EGRESS_SOURCE.read_bytes()
        info = tarfile.TarInfo("truth-egress/egress.py")
        info.size, info.mode = len(data), 0o644
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def egress_program() -> tuple[str, bytes]:
    """(file name, bytes) of the proxy/relay program, for copying into a container."""
    return "egress.py", EGRESS_SOURCE.read_bytes()


@dataclass
class RunningProxy:
    """A started proxy: the mount the install container needs, and the proxy's own log."""

    container: Any
    mount: Mount

    def refusals(self) -> list[str]:
        with contextlib.suppress(APIError, NotFound):
            log = self.container.logs().decode("utf-8", "replace")
            return [line for line in log.splitlines() if "refused" in line]
        return []


def _wait_listening(container: Any) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        log = container.logs().decode("utf-8", "replace")
        if "egress: listening" in log:
            return
        container.reload()
        if container.status not in ("created", "running"):
            break
        time.sleep(0.1)
    raise DependencyPrepareError(
        "The prepare step's egress proxy did not start:\n"
        + container.logs(tail=20).decode("utf-8", "replace")
    )


@contextlib.contextmanager
def egress_proxy(
    client: docker.DockerClient, image: str, policy: EgressPolicy
) -> Iterator[RunningProxy]:
    """Run the allow-list proxy (non-root, no capabilities) for the duration of one prepare."""
    name = f"truth-egress-{secrets.token_hex(6)}"
    labels = {"truth-engine": "1", **policy.labels}
    volume = client.volumes.create(name=name, labels=labels)
    command = ["python3", "/tmp/truth-egress/egress.py", "proxy", "--socket"]
    command.append(f"{PROXY_DIR}/{SOCKET_NAME}")
    for host in policy.allowed_hosts:
        command += ["--allow", host]
    if policy.upstream_proxy:
        command += ["--upstream", policy.upstream_proxy]
    container: Any = None
    try:
        container = client.containers.create(
            image,
            command=command,
            name=name,
            user=f"{SANDBOX_UID}:{SANDBOX_UID}",
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mem_limit="128m",
            pids_limit=64,
            network=policy.proxy_network,
            mounts=[Mount(PROXY_DIR, name, type="volume")],
            labels=labels,
        )
        container.put_archive("/tmp", _source_archive())
        container.start()
        _wait_listening(container)
        yield RunningProxy(container, Mount(EGRESS_MOUNT, name, type="volume", read_only=True))
    finally:
        if container is not None:
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)
        with contextlib.suppress(NotFound, APIError):
            volume.remove(force=True)


def relay_lines(
    index_url: str | None = None, ready_file: str = "/tmp/truth-egress-ready"
) -> list[str]:
    """Shell lines that start the in-container relay and point pip (and friends) at it."""
    proxy = f"http://127.0.0.1:{RELAY_PORT}"
    index = [f"export PIP_INDEX_URL={shlex.quote(index_url)}"] if index_url else []
    return [
        *index,
        f"python3 /tmp/truth-deps/egress.py relay --port {RELAY_PORT} "
        f"--socket {EGRESS_MOUNT}/{SOCKET_NAME} --ready-file {ready_file} &",
        f"for _ in $(seq 100); do [ -e {ready_file} ] && break; sleep 0.05; done",
        f"export HTTP_PROXY={proxy} HTTPS_PROXY={proxy} http_proxy={proxy} https_proxy={proxy}",
        "export NO_PROXY= no_proxy=",
    ]


def prune_egress_volumes(
    client: docker.DockerClient,
    older_than_seconds: float = 600,
    labels: dict[str, str] | None = None,
) -> int:
    """Remove the socket volumes of proxies a killed worker left behind; returns how many went.

    Only old ones: another worker may have just made a volume it has not mounted yet, and
    Docker refuses to remove one a container still mounts (that one stays too)."""
    wanted = [f"{k}={v}" for k, v in {"truth-engine": "1", **(labels or {})}.items()]
    now = time.time()
    removed = 0
    for volume in client.volumes.list(filters={"label": wanted}):
        created = _created_at(volume.attrs.get("CreatedAt", ""))
        if created is None or now - created < older_than_seconds:
            continue
        try:
            volume.remove()
        except APIError:  # in use, or gone already
            continue
        removed += 1
    return removed


def _created_at(stamp: str) -> float | None:
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None

"""The egress proxy admits only allowed index hosts, on loopback servers of our own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from runner.egress import EgressProxy, Refused, check_allowed, check_resolved, parse_target
from runner.egress_fence import PYPI_HOSTS, EgressPolicy
from runner.errors import DependencyPrepareError


async def _echo_server() -> asyncio.Server:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(head) + head)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(echo, "127.0.0.1", 0)


def _port(server: asyncio.Server) -> int:
    return int(server.sockets[0].getsockname()[1])


@pytest.fixture
async def target() -> AsyncIterator[int]:
    server = await _echo_server()
    yield _port(server)
    server.close()


async def _proxy(allowed: set[str], port: int, upstream: str | None = None) -> asyncio.Server:
    # Loopback targets are refused by address; these tests allow them to exercise the rest.
    egress = EgressProxy(
        frozenset(allowed), upstream=upstream, ports=frozenset({port}), check_addresses=False
    )
    return await egress.start_tcp("127.0.0.1", 0)


async def _ask(proxy: asyncio.Server, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", _port(proxy))
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(65536), 5)
    if answer.startswith(b"HTTP/1.1 200 Connection established"):
        writer.write(b"GET /tunnelled HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        answer += await asyncio.wait_for(reader.read(65536), 5)
    writer.close()
    return answer


async def test_connect_to_an_allowed_host_is_tunnelled(target: int) -> None:
    proxy = await _proxy({"localhost"}, target)
    answer = await _ask(proxy, b"CONNECT localhost:%d HTTP/1.1\r\n\r\n" % target)
    proxy.close()
    assert answer.startswith(b"HTTP/1.1 200 Connection established")
    assert b"GET /tunnelled HTTP/1.1" in answer  # the far end saw the tunnelled request


@pytest.mark.parametrize(
    "request_line",
    [
        b"CONNECT 172.17.0.1:%d HTTP/1.1",  # the Docker bridge gateway
        b"CONNECT 127.0.0.1:%d HTTP/1.1",  # the host itself
        b"CONNECT evil.example:%d HTTP/1.1",
        b"GET http://127.0.0.1:%d/ HTTP/1.1",
        b"CONNECT localhost.evil.example:%d HTTP/1.1",
    ],
)
async def test_other_hosts_and_ip_literals_are_refused(target: int, request_line: bytes) -> None:
    proxy = await _proxy({"localhost"}, target)
    answer = await _ask(proxy, request_line % target + b"\r\n\r\n")
    proxy.close()
    assert answer.startswith(b"HTTP/1.1 403 Forbidden")
    assert b"not an allowed package index host" in answer


async def test_an_allowed_host_on_another_port_is_refused(target: int) -> None:
    proxy = await _proxy({"localhost"}, target)
    answer = await _ask(proxy, b"CONNECT localhost:22 HTTP/1.1\r\n\r\n")
    proxy.close()
    assert b"403" in answer.split(b"\r\n")[0] and b"port 22 is not allowed" in answer


async def test_plain_http_is_forwarded_in_origin_form(target: int) -> None:
    proxy = await _proxy({"localhost"}, target)
    answer = await _ask(proxy, b"GET http://localhost:%d/simple/six/ HTTP/1.1\r\n\r\n" % target)
    proxy.close()
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert b"GET /simple/six/ HTTP/1.1" in answer


async def test_requests_go_through_the_configured_upstream_proxy(target: int) -> None:
    upstream = await _proxy({"localhost"}, target)
    front = await _proxy({"localhost"}, target, upstream=f"http://127.0.0.1:{_port(upstream)}")
    tunnelled = await _ask(front, b"CONNECT localhost:%d HTTP/1.1\r\n\r\n" % target)
    plain = await _ask(front, b"GET http://localhost:%d/x HTTP/1.1\r\n\r\n" % target)
    front.close()
    upstream.close()
    assert b"GET /tunnelled HTTP/1.1" in tunnelled
    assert b"GET /x HTTP/1.1" in plain  # the upstream rewrote the absolute form it was sent


async def test_an_upstream_refusal_is_passed_on(target: int) -> None:
    upstream = await _proxy({"elsewhere"}, target)
    front = await _proxy({"localhost"}, target, upstream=f"http://127.0.0.1:{_port(upstream)}")
    answer = await _ask(front, b"CONNECT localhost:%d HTTP/1.1\r\n\r\n" % target)
    front.close()
    upstream.close()
    assert answer.startswith(b"HTTP/1.1 403") and b"upstream proxy refused" in answer


def test_names_resolving_to_loopback_are_refused_even_if_allowed() -> None:
    with pytest.raises(Refused, match=r"resolves to 127\.0\.0\.1"):
        check_resolved("localhost", 443)


def test_wildcards_match_subdomains_only() -> None:
    check_allowed("a.mirror.example", 443, frozenset({"*.mirror.example"}), frozenset({443}))
    with pytest.raises(Refused):
        check_allowed("mirror.example.evil", 443, frozenset({"*.mirror.example"}), frozenset({443}))


def test_malformed_requests_are_refused_with_a_reason() -> None:
    with pytest.raises(Refused, match="malformed"):
        parse_target(b"\xff\xfe\r\n\r\n")
    with pytest.raises(Refused, match="host:port"):
        parse_target(b"CONNECT pypi.org HTTP/1.1\r\n\r\n")
    with pytest.raises(Refused, match="only CONNECT"):
        parse_target(b"GET /relative HTTP/1.1\r\n\r\n")


def test_policy_hosts_come_from_the_index_url_and_extras() -> None:
    assert EgressPolicy().allowed_hosts == PYPI_HOSTS
    mirror = EgressPolicy(index_url="https://Mirror.Corp/simple", extra_hosts=("files.corp",))
    assert mirror.allowed_hosts == ("mirror.corp", "files.corp")
    with pytest.raises(DependencyPrepareError, match="has no host"):
        _ = EgressPolicy(index_url="simple").allowed_hosts


PROBE = r"""
import json, os, socket, sys, urllib.request
out = {}
for name, address in json.loads(sys.argv[1]).items():
    try:
        socket.create_connection((address, int(sys.argv[2])), timeout=3).close()
        out[name] = "connected"
    except OSError as exc:
        out[name] = type(exc).__name__
    if "HTTPS_PROXY" in os.environ:
        relay = socket.create_connection(("127.0.0.1", 3128), timeout=5)
        relay.sendall(f"CONNECT {address}:{sys.argv[2]} HTTP/1.1\r\n\r\n".encode())
        out[name + " via proxy"] = relay.recv(200).split(b"\r\n")[0].decode()
if "HTTPS_PROXY" in os.environ:
    with urllib.request.urlopen("https://pypi.org/simple/six/", timeout=60) as answer:
        out["index"] = answer.status
print("PROBE " + json.dumps(out))
"""


def _host_addresses(client) -> dict[str, str]:
    """This machine's own addresses a container could try: the bridge gateway and eth0's."""
    import ipaddress
    import subprocess

    config = client.networks.get("bridge").attrs["IPAM"]["Config"][0]
    # The default bridge often lists only its subnet; its gateway is the first address.
    gateway = config.get("Gateway") or str(next(ipaddress.ip_network(config["Subnet"]).hosts()))
    found = {"bridge gateway": gateway, "arbitrary": "203.0.113.7"}  # TEST-NET-3, unrouted
    listing = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"],
                             capture_output=True, text=True, check=False).stdout  # fmt: skip
    for line in listing.splitlines():
        address = line.split()[3].split("/")[0]
        if address != gateway and not line.split()[1].startswith(("docker", "br-", "veth")):
            found["host"] = address
            break
    return found


def _probe_archive(extra_lines: list[str]) -> bytes:
    import io
    import tarfile

    from runner.egress_fence import egress_program

    files = {"probe.py": PROBE.encode(), "run.sh": ("\n".join(extra_lines) + "\n").encode()}
    name, program = egress_program()
    files[name] = program
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for file_name, data in files.items():
            info = tarfile.TarInfo(f"truth-deps/{file_name}")
            info.size, info.mode, info.uid, info.gid = len(data), 0o644, 10001, 10001
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _run_probe(client, image, targets, port, mounts, network_mode, lines) -> dict[str, object]:
    import json

    command = [*lines, f"python3 /tmp/truth-deps/probe.py '{json.dumps(targets)}' {port}"]
    container = client.containers.create(
        image, command=["sh", "/tmp/truth-deps/run.sh"], user="10001:10001",
        network_mode=network_mode, mounts=mounts, cap_drop=["ALL"],
        labels={"truth-engine": "1"},
    )  # fmt: skip
    try:
        container.put_archive("/tmp", _probe_archive(command))
        container.start()
        container.wait(timeout=120)
        logs = container.logs().decode()
    finally:
        container.remove(force=True)
    line = next((x for x in logs.splitlines() if x.startswith("PROBE ")), None)
    assert line is not None, logs
    return json.loads(line.removeprefix("PROBE "))


@pytest.mark.docker
@pytest.mark.slow
def test_fenced_container_reaches_the_index_but_not_the_host_gateway_or_elsewhere(
    docker_client, sandbox_image: str
) -> None:
    """Needs PyPI reachable from a container (true on the project's machines)."""
    import socket
    from pathlib import Path

    from docker.types import Mount

    from runner.deps import DEFAULT_CA_BUNDLE
    from runner.egress_fence import egress_proxy, relay_lines

    # A real listener on every host address, so a refusal is the fence's doing, not a closed port.
    listener = socket.create_server(("0.0.0.0", 0))
    port = listener.getsockname()[1]
    targets = _host_addresses(docker_client)
    try:
        # Only our own addresses are tried unfenced; the arbitrary one only where nothing leaves.
        own = {k: v for k, v in targets.items() if k != "arbitrary"}
        unfenced = _run_probe(docker_client, sandbox_image, own, port, [], None, [])
        assert unfenced["bridge gateway"] == "connected"  # the control: reachable without fence
        if "host" in targets:
            assert unfenced["host"] == "connected"
        ca = Path(DEFAULT_CA_BUNDLE)
        mounts = [Mount("/etc/truth-ca-bundle.pem", str(ca), type="bind", read_only=True)]
        with egress_proxy(docker_client, sandbox_image, EgressPolicy()) as proxy:
            lines = [*relay_lines(), "export SSL_CERT_FILE=/etc/truth-ca-bundle.pem"]
            fenced = _run_probe(
                docker_client, sandbox_image, targets, port, [*mounts, proxy.mount], "none", lines
            )
            refusals = proxy.refusals()
    finally:
        listener.close()
    assert fenced["index"] == 200
    for name in targets:
        assert fenced[name] == "OSError", (name, fenced)  # no route: network unreachable
        assert fenced[name + " via proxy"] == "HTTP/1.1 403 Forbidden", (name, fenced)
    assert len(refusals) == len(targets)


@pytest.mark.docker
@pytest.mark.slow
def test_a_prepare_step_reaches_the_index_but_not_the_host_the_gateway_or_elsewhere(
    tmp_path, docker_client, sandbox_image: str
) -> None:
    """The repository's install command tries all three; the declared requirement installs."""
    import json
    import socket

    from runner.limits import SandboxLimits
    from runner.sandbox import Sandbox
    from runner.snapshot import RepoSnapshot

    listener = socket.create_server(("0.0.0.0", 0))  # live, so a failure is the fence's doing
    port = listener.getsockname()[1]
    targets = _host_addresses(docker_client)
    own = {k: v for k, v in targets.items() if k != "arbitrary"}
    files = {
        "requirements.txt": "six==1.16.0\n",
        "probe.py": PROBE,
        "tests/test_six.py": "import six\n\ndef test_six():\n    assert six.PY3\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    command = (
        f"python3 probe.py '{json.dumps(targets)}' {port} > /opt/venv/probe.txt 2>&1; "
        "cat /opt/venv/probe.txt"
    )
    base = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=60))
    prepared = None
    try:
        control = _run_probe(docker_client, sandbox_image, own, port, [], None, [])
        assert control["bridge gateway"] == "connected"
        prepared = base.prepare(RepoSnapshot.from_path(tmp_path), install_command=command)
        written = docker_client.containers.run(
            prepared.image, ["cat", "/opt/venv/probe.txt"], remove=True, network_mode="none"
        ).decode()
        result = prepared.run(RepoSnapshot.from_path(tmp_path))
    finally:
        listener.close()
        if prepared is not None and prepared.image != sandbox_image:
            docker_client.images.remove(prepared.image, force=True)
    assert "PROBE " in written, written
    probe = json.loads(written.split("PROBE ", 1)[1])
    for name in targets:
        assert probe[name] == "OSError", (name, probe)
        assert probe[name + " via proxy"] == "HTTP/1.1 403 Forbidden", (name, probe)
    assert probe["index"] == 200  # the index, through the proxy, from inside the step
    assert result.passing_tests() == ["tests/test_six.py::test_six"]  # and pip used it


@pytest.mark.docker
def test_left_behind_proxy_volumes_are_pruned_but_live_and_new_ones_stay(
    docker_client, sandbox_image: str
) -> None:
    import uuid

    from docker.errors import NotFound

    from runner.egress_fence import prune_egress_volumes

    # Labelled for this test alone, so volumes of runs going on beside it are never touched.
    mine = {"truth-engine.test": uuid.uuid4().hex}
    labels = {"truth-engine": "1", **mine}
    orphan = docker_client.volumes.create(
        name=f"truth-egress-orphan-{mine['truth-engine.test']}", labels=labels
    )
    live = docker_client.volumes.create(labels=labels)
    holder = docker_client.containers.create(
        sandbox_image, "sleep 30", volumes={live.name: {"bind": "/run/egress", "mode": "rw"}}
    )
    try:
        assert prune_egress_volumes(docker_client, older_than_seconds=3600, labels=mine) == 0
        assert prune_egress_volumes(docker_client, older_than_seconds=0, labels=mine) == 1
        assert docker_client.volumes.get(live.name).name == live.name
        with pytest.raises(NotFound):
            docker_client.volumes.get(orphan.name)
    finally:
        holder.remove(force=True)
        live.remove(force=True)

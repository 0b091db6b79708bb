"""The prepare step's egress fence: a forward proxy admitting only the package index hosts.

Standalone (standard library only): this file is copied into containers and run with the
sandbox image's python3. Two roles:

- `proxy` (in a container on an outside network): accepts HTTP CONNECT and absolute-form
  http requests on a Unix socket (or a TCP port), and connects only to allowed host names on
  allowed ports, optionally through an upstream proxy. IP literals and names that resolve to
  loopback, link-local or unspecified addresses are refused.
- `relay` (inside the network-less install container): listens on 127.0.0.1 and pipes each
  connection to the proxy's Unix socket, so pip can use an ordinary HTTP proxy URL while the
  container itself has no network interface but loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import socket
import sys
from urllib.parse import urlsplit

HEAD_LIMIT = 16 * 1024
CONNECT_TIMEOUT = 20.0
DEFAULT_PORTS = frozenset({443, 80})
DENIED = b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"


class Refused(Exception):
    """The request is not allowed out; the message says why (sent back to the client)."""


def parse_target(head: bytes) -> tuple[str, str, int, bytes]:
    """(method, host, port, head to send on) for a CONNECT or absolute-form request head."""
    request_line, _, rest = head.partition(b"\r\n")
    try:
        method, target, version = request_line.decode("ascii").split(" ")
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused("malformed request line") from exc
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        if not host or not port.isdigit():
            raise Refused("CONNECT needs host:port")
        return method, host.strip("[]").lower(), int(port), b""
    url = urlsplit(target)
    if url.scheme != "http" or not url.hostname:
        raise Refused("only CONNECT and absolute http:// requests are proxied")
    origin = (url.path or "/") + (f"?{url.query}" if url.query else "")
    forwarded = f"{method} {origin} {version}\r\n".encode("ascii") + rest
    return method, url.hostname.lower(), url.port or 80, forwarded


def check_allowed(host: str, port: int, allowed: frozenset[str], ports: frozenset[int]) -> None:
    """Raise Refused unless `host` is on the allow-list (exact, or `*.suffix`) and `port` too."""
    if port not in ports:
        raise Refused(f"port {port} is not allowed")
    wildcard = any(h.startswith("*.") and host.endswith(h[1:]) for h in allowed)
    if host not in allowed and not wildcard:
        raise Refused(f"{host} is not an allowed package index host")


def check_resolved(host: str, port: int) -> None:
    """Refuse names that point back at this machine or at link-local metadata services."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise Refused(f"{host} does not resolve: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            raise Refused(f"{host} resolves to {address}, which is never allowed")


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(1 << 16):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.close()


async def splice(
    a: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    b: tuple[asyncio.StreamReader, asyncio.StreamWriter],
) -> None:
    await asyncio.gather(_pipe(a[0], b[1]), _pipe(b[0], a[1]))


async def _open_upstream(
    host: str, port: int, upstream: str | None, tunnel: bool
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    if upstream is None:
        return await asyncio.wait_for(asyncio.open_connection(host, port), CONNECT_TIMEOUT)
    proxy = urlsplit(upstream)
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(proxy.hostname, proxy.port or 3128), CONNECT_TIMEOUT
    )
    if tunnel:
        writer.write(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        await writer.drain()
        answer = await reader.readuntil(b"\r\n\r\n")
        if answer.split(b" ", 2)[1:2] != [b"200"]:
            writer.close()
            raise Refused(f"upstream proxy refused: {answer.splitlines()[0].decode('latin-1')}")
    return reader, writer


class EgressProxy:
    """The allow-list proxy; `serve_unix` / `serve_tcp` run it until cancelled."""

    def __init__(
        self,
        allowed_hosts: frozenset[str],
        upstream: str | None = None,
        ports: frozenset[int] = DEFAULT_PORTS,
        check_addresses: bool = True,
    ) -> None:
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.upstream = upstream
        self.ports = ports
        self.check_addresses = check_addresses

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CONNECT_TIMEOUT)
            if len(head) > HEAD_LIMIT:
                raise Refused("request head too large")
            method, host, port, forwarded = parse_target(head)
            check_allowed(host, port, self.allowed, self.ports)
            if self.check_addresses and self.upstream is None:
                await asyncio.get_running_loop().run_in_executor(None, check_resolved, host, port)
            # Through an upstream proxy, plain http goes to it unchanged (absolute form).
            tunnel = method == "CONNECT"
            far = await _open_upstream(host, port, self.upstream, tunnel)
        except Refused as exc:
            print(f"egress: refused: {exc}", file=sys.stderr, flush=True)
            writer.write(DENIED + f"Truth Engine egress: {exc}\n".encode())
            await _close(writer)
            return
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n")
            print(f"egress: upstream failed: {exc!r}", file=sys.stderr, flush=True)
            await _close(writer)
            return
        if tunnel:
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            far[1].write(head if self.upstream else forwarded)
        await splice((reader, writer), far)

    async def serve_unix(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        server = await asyncio.start_unix_server(self.handle, path=path)
        os.chmod(path, 0o666)  # the install container may run as another user
        print(f"egress: listening on {path}", file=sys.stderr, flush=True)
        async with server:
            await server.serve_forever()

    async def start_tcp(self, host: str, port: int = 0) -> asyncio.Server:
        """Listen on TCP (tests, local use); the caller closes the returned server."""
        return await asyncio.start_server(self.handle, host, port)


async def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, RuntimeError):
        await writer.drain()
        writer.close()


async def relay(listen_port: int, socket_path: str, ready_file: str | None = None) -> None:
    """Pipe every connection on 127.0.0.1:`listen_port` to the proxy's Unix socket."""

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            far = await asyncio.open_unix_connection(socket_path)
        except OSError:
            await _close(writer)
            return
        await splice((reader, writer), far)

    server = await asyncio.start_server(forward, "127.0.0.1", listen_port)
    if ready_file:
        with open(ready_file, "w") as handle:
            handle.write("ready\n")
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    roles = parser.add_subparsers(dest="role", required=True)
    proxy = roles.add_parser("proxy")
    proxy.add_argument("--socket", required=True)
    proxy.add_argument("--allow", action="append", default=[])
    proxy.add_argument("--upstream")
    relay_args = roles.add_parser("relay")
    relay_args.add_argument("--port", type=int, required=True)
    relay_args.add_argument("--socket", required=True)
    relay_args.add_argument("--ready-file")
    args = parser.parse_args(argv)
    if args.role == "proxy":
        egress = EgressProxy(frozenset(args.allow), upstream=args.upstream)
        print(f"egress: allowing {sorted(egress.allowed)}", file=sys.stderr, flush=True)
        asyncio.run(egress.serve_unix(args.socket))
    else:
        asyncio.run(relay(args.port, args.socket, args.ready_file))


if __name__ == "__main__":
    main()

"""Connecting to the Docker engine with an error that tells the user how to start it."""

from __future__ import annotations

import docker
import requests
from docker.errors import DockerException

from runner.errors import EngineUnavailable

HOW_TO_START = (
    "Start it (e.g. `sudo systemctl start docker`, or `sudo dockerd &` where there is no "
    "systemd), or point TRUTH_DOCKER_HOST / DOCKER_HOST at a reachable engine."
)


def connect(docker_host: str | None = None, timeout: float = 120.0) -> docker.DockerClient:
    """A client for `docker_host` (default: DOCKER_HOST or the local socket), pinged once."""
    try:
        if docker_host:
            client = docker.DockerClient(base_url=docker_host, timeout=int(timeout))
        else:
            client = docker.from_env(timeout=int(timeout))
        client.ping()
    except (DockerException, requests.RequestException) as exc:
        where = docker_host or "the default socket (DOCKER_HOST or /var/run/docker.sock)"
        raise EngineUnavailable(
            f"Docker engine not reachable at {where}: {exc}. {HOW_TO_START}"
        ) from exc
    return client

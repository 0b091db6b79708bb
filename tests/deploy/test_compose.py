"""deploy/: compose restarts, health checks and migration order; a non-root image with HEALTHCHECK.

Base images cannot be pulled here, so the image is not built in the suite; the compose file is
validated by docker-compose where it is installed, and the health check commands are run for real.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
LONG_RUNNING = {"web", "worker", "worker-remote", "redis", "postgres", "minio"}


@pytest.fixture(scope="module")
def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_every_long_running_service_restarts_and_has_a_health_check(compose) -> None:
    services = compose["services"]
    assert LONG_RUNNING | {"migrate"} == set(services)
    for name in LONG_RUNNING:
        assert services[name]["restart"] in ("unless-stopped", "always"), name
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["restart"] == "no"


def test_web_and_workers_wait_for_healthy_services_and_a_finished_migration(compose) -> None:
    for name in ("web", "worker", "worker-remote"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
    assert "--appendonly" in compose["services"]["redis"]["command"]  # queued jobs survive


def test_many_workers_and_a_remote_docker_host_are_described(compose) -> None:
    worker, remote = compose["services"]["worker"], compose["services"]["worker-remote"]
    assert "TRUTH_WORKERS" in str(worker["deploy"]["replicas"])
    assert remote["profiles"] == ["remote-docker"]
    assert remote["environment"]["TRUTH_DOCKER_HOST"].startswith("${SANDBOX_DOCKER_HOST")
    assert remote["environment"]["DOCKER_TLS_VERIFY"] == "1"
    assert "/var/run/docker.sock:/var/run/docker.sock" not in remote["volumes"]


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0", "0:0")
    assert lines.index(f"USER {users[-1]}") < next(
        i for i, line in enumerate(lines) if line.startswith("CMD ")
    )
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert f"useradd --uid {10100}" in (DEPLOY / "Dockerfile").read_text()


def test_compose_file_is_valid_for_docker_compose(tmp_path: Path, compose) -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    # docker-compose 1.x predates `env_file: {path, required}`; everything else is checked as is.
    for service in compose["services"].values():
        if "env_file" in service:
            service["env_file"] = [".env"]
    (tmp_path / "docker-compose.yml").write_text(yaml.safe_dump(compose))
    (tmp_path / ".env").write_text("")
    for profiles in ([], ["--profile", "remote-docker", "--profile", "s3"]):
        result = subprocess.run(
            [binary, *profiles, "config", "-q"], cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[tuple[type[_Health], int]]:
    handler = type("Handler", (_Health,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, server.server_address[1]
    server.shutdown()


def _health_commands(compose) -> dict[str, list[str]]:
    found = {name: s["healthcheck"]["test"] for name, s in compose["services"].items()
             if name in ("web", "worker")}  # fmt: skip
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    found["image"] = json.loads(dockerfile.split("CMD ", 2)[1].split("\n")[0].strip())
    return found


def test_health_check_commands_pass_on_200_and_fail_otherwise(compose, health_server) -> None:
    handler, port = health_server
    for name, test in _health_commands(compose).items():
        argv = test[1:] if test[0] == "CMD" else test
        assert argv[0] == "python", name
        code = argv[2]
        for real_port in ("8000", "9101"):
            code = code.replace(f"127.0.0.1:{real_port}/", f"127.0.0.1:{port}/")
        handler.status = 200
        assert subprocess.run([sys.executable, "-c", code], timeout=10).returncode == 0, name
        handler.status = 503
        assert subprocess.run([sys.executable, "-c", code], timeout=10,
                              capture_output=True).returncode != 0, name  # fmt: skip

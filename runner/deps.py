"""The dependency prepare step: install a repository's declared deps into a cached image.

This is the only step with network access. It runs `pip install` into /opt/venv (which sees the
base image's pytest via --system-site-packages) in a container on the default bridge, with the
host's CA bundle mounted read-only (package traffic may pass a TLS-inspecting proxy) and the
host's proxy variables, then commits the container as `truth-sandbox-deps:<hash>`, keyed by the
base image id and the dependency declarations. Test runs on that image stay network-less.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import re
import shlex
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
from docker.errors import APIError, DockerException, NotFound
from docker.types import Mount

from runner.errors import DependencyPrepareError
from runner.images import image_exists
from runner.limits import SandboxLimits
from runner.snapshot import RepoSnapshot

DEPS_REPOSITORY = "truth-sandbox-deps"
DEFAULT_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
CA_IN_CONTAINER = "/etc/truth-ca-bundle.pem"
PREPARE_SECONDS = 900
REQUIREMENTS_FILE = re.compile(r"requirements[\w.-]*\.txt")
TEST_EXTRAS = ("test", "tests", "testing", "dev")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")


def _requirement_lines(text: str) -> list[str]:
    """Requirement lines pip can install without the project itself present."""
    kept = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        # Local paths, editables and nested files are not in the prepare container.
        if line.startswith(
            ("-e", "--editable", "-r", "--requirement", "-c", "--constraint", ".", "/")
        ):
            continue
        if line.startswith("file:"):
            continue
        kept.append(line)
    return kept


def _pyproject_requirements(text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    project = data.get("project", {})
    found = list(project.get("dependencies", []))
    extras = project.get("optional-dependencies", {})
    groups = data.get("dependency-groups", {})
    for name in TEST_EXTRAS:
        found += extras.get(name, [])
        found += [item for item in groups.get(name, []) if isinstance(item, str)]
    return [item for item in found if isinstance(item, str)]


def dependency_spec(snapshot: RepoSnapshot) -> dict[str, str]:
    """Requirement files to install (name -> text), from requirements*.txt and pyproject.toml."""
    spec: dict[str, str] = {}
    for name in snapshot.files:
        if "/" in name:
            continue
        if REQUIREMENTS_FILE.fullmatch(name) or name == "pyproject.toml":
            data = snapshot.read(name) or b""
            text = data.decode("utf-8", "replace")
            lines = (
                _pyproject_requirements(text)
                if name == "pyproject.toml"
                else _requirement_lines(text)
            )
            if lines:
                spec[name.replace("pyproject.toml", "pyproject-requirements.txt")] = (
                    "\n".join(lines) + "\n"
                )
    return spec


def deps_tag(
    base_image_id: str, spec: dict[str, str], install_command: str | None = None, tree: str = ""
) -> str:
    """Content address of a deps image: base, dependency files, and a custom install command
    together with the tree it ran on (it may install the repository itself)."""
    digest = hashlib.sha256(base_image_id.encode())
    for name in sorted(spec):
        digest.update(b"\0" + name.encode() + b"\0" + spec[name].encode())
    if install_command:
        digest.update(b"\0cmd\0" + install_command.encode() + b"\0" + tree.encode())
    return f"{DEPS_REPOSITORY}:{digest.hexdigest()[:16]}"


@contextlib.contextmanager
def _lock(tag: str) -> Iterator[None]:
    path = Path(tempfile.gettempdir()) / f"truth-deps-{tag.split(':')[-1]}.lock"
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _spec_archive(spec: dict[str, str], script: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, text in {**spec, "install.sh": script}.items():
            data = text.encode()
            info = tarfile.TarInfo(f"truth-deps/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def install_script(
    spec: dict[str, str],
    ca_bundle: bool,
    host_env: dict[str, str],
    install_command: str | None = None,
) -> str:
    """The prepare step's shell script. CA and proxy settings live only in this file, which
    deletes itself, so they never reach the committed image's config or layers."""
    lines = ["set -e", "export HOME=/tmp PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1"]
    if ca_bundle:
        for name in ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
            lines.append(f"export {name}={CA_IN_CONTAINER}")
    for name in PROXY_VARIABLES:
        if host_env.get(name):
            lines.append(f"export {name}={shlex.quote(host_env[name])}")
    files = " ".join(f"-r /tmp/truth-deps/{shlex.quote(name)}" for name in sorted(spec))
    lines += [
        "trap 'rm -rf /tmp/truth-deps' EXIT",
        "python3 -m venv --system-site-packages /opt/venv",
    ]
    if files:
        lines.append(f"/opt/venv/bin/pip install {files}")
    if install_command:
        # The repository's own install command runs in a copy of the tree, with the venv active.
        lines += [
            "cd /tmp/truth-deps/repo",
            "export PATH=/opt/venv/bin:$PATH VIRTUAL_ENV=/opt/venv",
            f"sh -c {shlex.quote(install_command)}",
        ]
    return "\n".join(lines) + "\n"


def prepare_image(
    client: docker.DockerClient,
    base_image: str,
    snapshot: RepoSnapshot,
    limits: SandboxLimits,
    ca_bundle: Path | None = None,
    install_command: str | None = None,
) -> str:
    """The deps image tag for `snapshot` (built once per dependency set), or `base_image`."""
    spec = dependency_spec(snapshot)
    if not spec and not install_command:
        return base_image
    tag = deps_tag(str(client.images.get(base_image).id), spec, install_command, snapshot.digest)
    if image_exists(client, tag):
        return tag
    if ca_bundle is None and DEFAULT_CA_BUNDLE.is_file():
        ca_bundle = DEFAULT_CA_BUNDLE
    with _lock(tag):
        if not image_exists(client, tag):
            _install(client, base_image, tag, spec, limits, ca_bundle, install_command, snapshot)
    return tag


def _install(
    client: docker.DockerClient,
    base_image: str,
    tag: str,
    spec: dict[str, str],
    limits: SandboxLimits,
    ca_bundle: Path | None,
    install_command: str | None = None,
    snapshot: RepoSnapshot | None = None,
) -> None:
    script = install_script(spec, ca_bundle is not None, dict(os.environ), install_command)
    mounts = []
    if ca_bundle is not None:
        mounts.append(Mount(CA_IN_CONTAINER, str(ca_bundle.resolve()), type="bind", read_only=True))
    container: Any = None
    try:
        container = client.containers.create(
            base_image,
            command=["sh", "/tmp/truth-deps/install.sh"],
            user="0:0",  # writes /opt/venv; still without capabilities or new privileges
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mem_limit=f"{max(limits.memory_mb, 1024)}m",
            pids_limit=max(limits.pids, 512),
            mounts=mounts,
            labels={"truth-engine": "1"},
        )
        container.put_archive("/tmp", _spec_archive(spec, script))
        if install_command and snapshot is not None:
            container.put_archive("/tmp/truth-deps", snapshot.archive_with({}))
        container.start()
        status = container.wait(timeout=PREPARE_SECONDS)
        if int(status.get("StatusCode", 1)) != 0:
            tail = container.logs(tail=30).decode("utf-8", "replace")
            code = status.get("StatusCode")
            raise DependencyPrepareError(
                f"Installing the repository's dependencies failed (exit {code}):"
                f"\n{tail}\nCheck the requirements and that the package index is reachable "
                "(set TRUTH_CA_BUNDLE_PATH if a proxy inspects TLS)."
            )
        container.commit(
            repository=tag.split(":")[0],
            tag=tag.split(":")[1],
            conf={"User": "sandbox", "WorkingDir": "/workspace", "Cmd": ["sh"]},
        )
    except DependencyPrepareError:
        raise
    except (DockerException, OSError) as exc:
        raise DependencyPrepareError(f"The dependency prepare step failed: {exc}") from exc
    finally:
        if container is not None:
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)

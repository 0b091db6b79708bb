"""The dependency prepare step: install what discovery found into a cached, content-addressed image.

This is the only step with network access. It creates /opt/venv (which sees the base image's
pytest via --system-site-packages), installs the declared requirements, the CI workflow's install
commands and the project itself (editable, from a copy at /workspace/repo: the path tests run at,
so the install keeps pointing at whatever tree a run unpacks), with the host's CA bundle mounted
read-only (package traffic may pass a TLS-inspecting proxy), then commits the container as
`truth-sandbox-deps:<hash>`. The hash covers only the dependency inputs (the files discovery read,
the install command, the base image and so its Python), so a README edit reuses the image.
Each step's outcome is kept in an image label: progress and proofs say what came from where.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.types import Mount

from runner.discovery import Discovery, discover_snapshot
from runner.egress_fence import (
    EgressPolicy,
    RunningProxy,
    egress_program,
    egress_proxy,
    relay_lines,
)
from runner.errors import DependencyPrepareError
from runner.images import image_exists
from runner.install_script import (
    CA_IN_CONTAINER,
    FACT_MARK,
    FILES_DIR,
    LOG_MARK,
    STEP_MARK,
    install_script,
)
from runner.limits import SandboxLimits
from runner.snapshot import SANDBOX_UID, RepoSnapshot

DEPS_REPOSITORY = "truth-sandbox-deps"
DEFAULT_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PREPARE_SECONDS = 900
REPORT_LABEL = "truth.install-report"
PLAN_VERSION = "2"  # bump when the install script changes what an image contains


@dataclass
class PreparePlan:
    """What the prepare step installs, as files and commands (all of it in the cache key)."""

    files: dict[str, str]  # generated requirement files, one per declaring source
    labels: dict[str, str]  # generated file -> "setup.py install_requires" (for the report)
    options: list[str]
    constraints: str
    project_extras: list[str] | None  # None: the repository is not an installable package
    commands: list[str]
    install_command: str | None
    summary: list[str]
    inputs_digest: str

    @property
    def empty(self) -> bool:
        return not (self.files or self.commands or self.install_command) and (
            self.project_extras is None
        )


@dataclass
class InstallReport:
    """What the prepare step did: each step with its outcome, and the interpreter it used."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)

    def failed(self) -> list[dict[str, Any]]:
        return [s for s in self.steps if s["status"] != "ok"]

    def lines(self) -> list[str]:
        shown = [f"{s['status']:<6} {s['name']} ({s['seconds']} s)" for s in self.steps]
        for step in self.failed():
            shown += [f"       {line}" for line in step.get("log", [])[:10]]
        return [*self.plan, *shown, *(f"{k}: {v}" for k, v in sorted(self.facts.items()))]


def plan_for(
    snapshot: RepoSnapshot, install_command: str | None = None, found: Discovery | None = None
) -> PreparePlan:
    found = found or discover_snapshot(snapshot)
    files, labels = {}, {}
    for index, source in enumerate(found.sources, 1):
        name = f"req-{index:02d}.txt"
        files[name] = "\n".join(source.requirements) + "\n"
        labels[name] = f"{source.file} {source.what}".strip()
    project = found.project_extras if found.project_file else None
    commands = list(found.ci.install_commands) if found.ci else []
    digest = hashlib.sha256(found.inputs_digest().encode())
    for part in (PLAN_VERSION, install_command or "", *commands):
        digest.update(b"\0" + part.encode())
    return PreparePlan(
        files=files,
        labels=labels,
        options=found.options,
        constraints="".join(f"{line}\n" for line in found.constraints),
        project_extras=project,
        commands=commands,
        install_command=install_command,
        summary=found.summary(),
        inputs_digest=digest.hexdigest(),
    )


def dependency_spec(snapshot: RepoSnapshot) -> dict[str, str]:
    """The generated requirement files (empty when nothing is declared); kept for callers that
    only ask whether a prepare step is needed."""
    plan = plan_for(snapshot)
    return {**plan.files, **({"project": "."} if plan.project_extras is not None else {})}


def deps_tag(base_image_id: str, plan: PreparePlan) -> str:
    """Content address of a deps image: the base image and the dependency inputs only."""
    digest = hashlib.sha256(base_image_id.encode() + b"\0" + plan.inputs_digest.encode())
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


def _archive(entries: dict[str, bytes | None]) -> bytes:
    """A tar owned by the sandbox user: None values are directories."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.uid = info.gid = SANDBOX_UID
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def script_for(plan: PreparePlan, ca_bundle: bool, egress: list[str]) -> str:
    return install_script(
        sorted(plan.files),
        plan.options,
        bool(plan.constraints),
        plan.project_extras,
        plan.commands,
        plan.install_command,
        ca_bundle,
        egress,
    )


def parse_report(logs: str, plan: PreparePlan) -> InstallReport:
    report = InstallReport(plan=plan.summary)
    for line in logs.splitlines():
        mark, _, rest = line.partition(" ")
        if mark == STEP_MARK:
            status, seconds, name = [*rest.split(" ", 2), "", ""][:3]
            base, exit_note = name.split(" (exit")[0], name.partition(" (exit")[1:]
            name = plan.labels.get(base, base) + "".join(exit_note)
            report.steps.append({"status": status, "seconds": seconds, "name": name, "log": []})
        elif mark == LOG_MARK and report.steps:
            report.steps[-1]["log"].append(rest[:300])
        elif mark == FACT_MARK:
            key, _, value = rest.partition(" ")
            report.facts[key] = value.strip() or "not importable"
    return report


def install_report(client: docker.DockerClient, image: str) -> InstallReport | None:
    """The report stored on a deps image (None for a base image or an unlabelled one)."""
    try:
        labels = client.images.get(image).labels or {}
    except (ImageNotFound, APIError):
        return None
    raw = labels.get(REPORT_LABEL)
    if not raw:
        return None
    data = json.loads(raw)
    return InstallReport(data.get("steps", []), data.get("facts", {}), data.get("plan", []))


def prepare_image(
    client: docker.DockerClient,
    base_image: str,
    snapshot: RepoSnapshot,
    limits: SandboxLimits,
    ca_bundle: Path | None = None,
    install_command: str | None = None,
    egress: EgressPolicy | None = None,
) -> str:
    """The deps image tag for `snapshot` (built once per dependency inputs), or `base_image`.

    The install reaches only the hosts `egress` allows (default: PyPI), through a proxy."""
    plan = plan_for(snapshot, install_command)
    if plan.empty:
        return base_image
    tag = deps_tag(str(client.images.get(base_image).id), plan)
    if image_exists(client, tag):
        return tag
    if ca_bundle is None and DEFAULT_CA_BUNDLE.is_file():
        ca_bundle = DEFAULT_CA_BUNDLE
    with _lock(tag):
        if not image_exists(client, tag):
            policy = egress or EgressPolicy()
            with egress_proxy(client, base_image, policy) as proxy:
                _install(client, base_image, tag, plan, limits, ca_bundle, snapshot, proxy, policy)
    return tag


def _install(
    client: docker.DockerClient,
    base_image: str,
    tag: str,
    plan: PreparePlan,
    limits: SandboxLimits,
    ca_bundle: Path | None,
    snapshot: RepoSnapshot,
    proxy: RunningProxy,
    policy: EgressPolicy,
) -> None:
    script = script_for(plan, ca_bundle is not None, relay_lines(policy.index_url))
    entries: dict[str, bytes | None] = {"opt/venv": None, FILES_DIR.lstrip("/"): None}
    # The snapshot's tar has no directory entries; made here, they belong to the installing user.
    folders = {str(Path(name).parent) for name in snapshot.files} - {"."}
    for folder in sorted({str(p) for f in folders for p in [Path(f), *Path(f).parents]} - {"."}):
        entries[f"workspace/repo/{folder}"] = None
    entries["workspace/repo"] = None
    program_name, program = egress_program()
    files = {**plan.files, "install.sh": script, program_name: program.decode()}
    if plan.constraints:
        files["constraints.txt"] = plan.constraints
    entries.update({f"{FILES_DIR.lstrip('/')}/{n}": t.encode() for n, t in files.items()})
    mounts = [proxy.mount]
    if ca_bundle is not None:
        mounts.append(Mount(CA_IN_CONTAINER, str(ca_bundle.resolve()), type="bind", read_only=True))
    container: Any = None
    try:
        container = client.containers.create(
            base_image,
            command=["sh", f"{FILES_DIR}/install.sh"],
            user=f"{SANDBOX_UID}:{SANDBOX_UID}",  # owns /opt/venv and the repository copy
            # No interface but loopback: the only way out is the relay to the egress proxy.
            network_mode="none",
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mem_limit=f"{max(limits.memory_mb, 1024)}m",
            pids_limit=max(limits.pids, 512),
            mounts=mounts,
            labels={"truth-engine": "1"},
        )
        container.put_archive("/", _archive(entries))
        container.put_archive("/workspace", snapshot.archive_with({}))
        container.start()
        status = container.wait(timeout=PREPARE_SECONDS)
        logs = container.logs().decode("utf-8", "replace")
        report = parse_report(logs, plan)
        code = int(status.get("StatusCode", 1))
        worked = [s for s in report.steps if s["status"] == "ok" and s["name"] != "upgrade pip"]
        if code != 0 or (report.steps and not worked and len(report.steps) > 1):
            tail = "\n".join(report.lines()[-30:]) or logs[-3000:]
            how = f"exit {code}" if code else "no install step succeeded"
            refused = "\n".join(proxy.refusals()[-10:])
            if refused:
                refused = (
                    f"The egress proxy refused (only the package index is allowed):\n{refused}\n"
                )
            raise DependencyPrepareError(
                f"Installing the repository's dependencies failed ({how}):\n{tail}\n"
                f"{refused}Check the declarations and that the package index is reachable (set "
                "TRUTH_CA_BUNDLE_PATH if a proxy inspects TLS, TRUTH_PREPARE_INDEX_URL or "
                "TRUTH_PREPARE_UPSTREAM_PROXY for a mirror or proxy), or set install_command in "
                ".github/truth.yml."
            )
        payload = {"steps": report.steps, "facts": report.facts, "plan": report.plan}
        container.commit(
            repository=tag.split(":")[0],
            tag=tag.split(":")[1],
            conf={
                "User": "sandbox",
                "WorkingDir": "/workspace",
                "Cmd": ["sh"],
                "Labels": {REPORT_LABEL: json.dumps(payload)},
            },
        )
    except DependencyPrepareError:
        raise
    except (DockerException, OSError) as exc:
        raise DependencyPrepareError(f"The dependency prepare step failed: {exc}") from exc
    finally:
        if container is not None:
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)

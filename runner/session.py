"""One repository made ready to verify: its Python, image, installed dependencies, test command,
time limits and environment, each step timed and reported through a progress callback."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import docker

from runner.deps import InstallReport, install_report
from runner.discovery import Discovery, PythonChoice, choose_python, discover_snapshot
from runner.egress_fence import EgressPolicy
from runner.environment import Context, own_modules
from runner.images import ensure_image
from runner.limits import SandboxLimits, baseline_limits
from runner.results import RunResult
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot
from runner.test_command import TestCommand, resolve

Progress = Callable[[str], None]


@dataclass
class Options:
    """What the user or `.github/truth.yml` asked for; None means decide from the repository."""

    test_command: str | None = None
    install_command: str | None = None
    python: str | None = None
    timeout: float | None = None
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Ready:
    sandbox: Sandbox
    python: PythonChoice
    command: TestCommand
    discovery: Discovery
    report: InstallReport | None
    context: Context
    baseline_limit: float


@contextmanager
def timed(progress: Progress, what: str) -> Iterator[None]:
    """`what…` before a slow step and `what: done in N s` after it (or `failed after N s`)."""
    progress(f"{what}…")
    start = time.monotonic()
    try:
        yield
    except BaseException:
        progress(f"{what}: failed after {time.monotonic() - start:.1f} s")
        raise
    progress(f"{what}: done in {time.monotonic() - start:.1f} s")


def with_env(command: str, env: dict[str, str]) -> str:
    """The command with the configured test environment variables exported first."""
    if not env:
        return command
    pairs = " ".join(f"{name}={shlex.quote(value)}" for name, value in sorted(env.items()))
    return f"export {pairs}; {command}"


def _test_file_hint(snapshot: RepoSnapshot) -> str:
    test_files = [n for n in snapshot.files if "requirements" in n and "test" in n]
    return sorted(test_files, key=len)[0] if test_files else "requirements-test.txt"


def make_ready(
    client: docker.DockerClient,
    snapshot: RepoSnapshot,
    limits: SandboxLimits,
    options: Options,
    progress: Progress,
    image: str | None = None,
    ca_bundle: Path | None = None,
    labels: dict[str, str] | None = None,
    egress: EgressPolicy | None = None,
) -> Ready:
    """Choose the Python, build or reuse its image, install the dependencies (cached)."""
    found = discover_snapshot(snapshot)
    python = choose_python(found.python, options.python)
    progress(f"Python {python.version}: {python.why}")
    with timed(progress, f"Sandbox image for Python {python.version}"):
        base = ensure_image(client, image, python=python.version)
    limit = baseline_limits(limits, options.timeout)
    sandbox = Sandbox(client, base, limit, labels)
    report = None
    if found.installs_anything or options.install_command:
        for line in found.summary():
            progress(f"  declared: {line}")
        # Named in the step itself: a person watching a long install sees what it installs.
        names = "; ".join(found.summary())
        names = names if len(names) <= 120 else names[:119] + "…"
        with timed(progress, f"Installing {names or 'the install command'} (reused next time)"):
            sandbox = sandbox.prepare(snapshot, ca_bundle, options.install_command, egress)
        report = install_report(client, sandbox.image)
        for step in report.steps if report else []:
            progress(f"  {step['status']}: {step['name']} ({step['seconds']} s)")
    wanted, source = chosen_command(options.test_command, found)
    command = resolve(wanted, lambda name: _text(snapshot, name))
    if source:
        command = replace(command, how=f"{source}; {command.how}")
    command = replace(command, command=with_env(command.command, options.env))
    progress(f"Test command: {command.command} ({command.how})")
    failed = tuple(s["name"] for s in report.failed()) if report else ()
    context = Context(
        declared=found.declared,
        own_modules=own_modules(snapshot.files),
        python=python.version,
        failed_installs=failed,
        test_file_hint=_test_file_hint(snapshot),
    )
    return Ready(sandbox, python, command, found, report, context, limit.wall_seconds)


def chosen_command(configured: str | None, found: Discovery) -> tuple[str | None, str]:
    """The configured command, else the one the CI workflow's test job runs (when it has no
    workflow expressions), else None (the default); and where it came from."""
    if configured:
        return configured, ""
    ci = found.ci
    if ci and ci.test_command and "${{" not in ci.test_command:
        return ci.test_command, f"the test command of job `{ci.job}` in {ci.path}"
    return None, ""


def _text(snapshot: RepoSnapshot, name: str) -> str | None:
    data = snapshot.read(name)
    return None if data is None else data.decode("utf-8", "replace")


def run_baseline(ready: Ready, snapshot: RepoSnapshot, progress: Progress) -> RunResult:
    limit = ready.baseline_limit
    with timed(progress, f"Running the tests without the patch (limit {limit:g} s)"):
        baseline = ready.sandbox.run(snapshot, ready.command.command)
    if baseline.reason and baseline.end.value == "timeout":
        baseline.reason = ready.sandbox.limits.stopped_reason()
    progress(
        f"baseline: {baseline.end.value}, exit {baseline.exit_code}, "
        f"{len(baseline.failing_tests())} failing, {len(baseline.passing_tests())} passing "
        f"({baseline.duration_ms / 1000:.1f} s)"
    )
    return baseline

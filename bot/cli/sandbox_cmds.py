"""`truth verify`, `truth sandbox build`, `truth doctor`: the sandbox runner from the command line.

`truth verify PATH --patch FILE [--test CMD] [--json]` runs the tests of the repository at PATH
in a sandbox without and with the patch. Exit codes: 0 verified, 1 not verified, 2 bad input or
an environment problem (missing path, unreadable or empty patch, Docker not reachable, or the
verdict `environment_error`: the tests cannot run as declared; the message says what to do).

`--json` prints one object on stdout:
{"verdict": "verified"|"failed"|"rejected"|"flaky"|"patch_failed"|"timeout"|"resource_limit"|
             "baseline_passes"|"environment_error"|"error",
 "reason": "one line",
 "baseline": {"command", "end", "exit_code", "duration_ms", "image_id", "reason",
              "failing_tests": [...], "passing_tests": [...], "tests": {test_id: status},
              "stdout_truncated", "stderr_truncated", "patch_applied", "patch_strategy"},
 "patched": {same keys} | null,
 "fixed_tests": [...], "regressions": [...], "test_changes_allowed": bool,
 "proof": {"json": path, "text": path},
 "python": {"version", "why"}, "test_command": {"command", "how"}, "install": [lines],
 "pre_existing_failures": [...]}
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from bot.cli import EXIT_BAD_INPUT
from bot.errors import ConfigError
from bot.settings import Settings, load_settings
from runner.errors import RunnerError
from runner.results import RunResult, Verification

VERDICT_STYLE = {"verified": "bold green", "baseline_passes": "yellow"}


def run_json(run: RunResult | None) -> dict[str, Any] | None:
    return None if run is None else run.summary()


def verification_json(verification: Verification, proof: tuple[Path, Path]) -> dict[str, Any]:
    return {
        "verdict": verification.verdict.value,
        "reason": verification.reason,
        "baseline": run_json(verification.baseline),
        "patched": run_json(verification.patched),
        "fixed_tests": verification.fixed_tests,
        "regressions": verification.regressions,
        "test_changes_allowed": verification.test_changes_allowed,
        "proof": {"json": str(proof[0]), "text": str(proof[1])},
    }


def bad_input(message: str) -> click.exceptions.Exit:
    click.echo(f"error: {message}", err=True)
    return click.exceptions.Exit(EXIT_BAD_INPUT)


def read_patch(patch_file: Path) -> str:
    try:
        patch = patch_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise bad_input(f"patch file {patch_file} does not exist.") from None
    except IsADirectoryError:
        raise bad_input(
            f"{patch_file} is a directory; --patch takes a unified diff file."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise bad_input(f"cannot read patch file {patch_file}: {exc}.") from None
    if not patch.strip():
        raise bad_input(
            f"patch file {patch_file} is empty; pass a unified diff (git diff > fix.patch)."
        )
    return patch


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except (ConfigError, ValueError) as exc:
        raise bad_input(f"invalid configuration: {exc}") from None


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--patch", "patch_file", required=True, type=click.Path(path_type=Path), help="Unified diff."
)
@click.option("--test", "test_command", default=None, help="Test command (default: pytest).")
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="A test id the patch must fix (repeatable; default: the tests failing before it).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=None,
    help="The baseline's time limit in seconds (default 600; candidates' follow its time).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object (shape in --help docs)."
)
@click.option(
    "--allow-test-changes",
    is_flag=True,
    help="Knowingly verify a patch that changes tests or their configuration (said in the "
    "verdict and the proof; never allowed on GitHub).",
)
def verify(
    path: Path,
    patch_file: Path,
    test_command: str | None,
    targets: tuple[str, ...],
    timeout: float | None,
    as_json: bool,
    allow_test_changes: bool,
) -> None:
    """Verify one patch: it counts only if the tests fail before and pass after, in a sandbox.
    Reads .github/truth.yml like `truth fix`; exit 2 on an environment problem."""
    from bot.cli.verify_flow import run_verify

    settings = settings_or_exit()
    if not path.exists():
        raise bad_input(f"{path} does not exist; pass the folder of the repository to test.")
    if not path.is_dir():
        raise bad_input(f"{path} is not a directory; pass the repository's folder, not a file.")
    patch = read_patch(patch_file)
    try:
        code = run_verify(
            settings,
            path,
            patch,
            test_command,
            list(targets),
            timeout,
            as_json,
            verification_json,
            allow_test_changes=allow_test_changes,
            patch_name=patch_file.name,
        )
    except (RunnerError, ValueError) as exc:  # ValueError: an invalid .github/truth.yml
        raise bad_input(str(exc)) from None
    sys.exit(code)


@click.group()
def sandbox() -> None:
    """Manage the sandbox image."""


@sandbox.command("build")
@click.option(
    "--dockerfile", "method", flag_value="dockerfile", help="Build deploy/sandbox/Dockerfile."
)
@click.option(
    "--offline", "method", flag_value="offline", help="debootstrap + docker import (root)."
)
@click.option(
    "--python",
    "python",
    type=click.Choice(["3.9", "3.11", "3.13"]),
    default="3.11",
    show_default=True,
    help="The image's Python (offline: Debian bullseye, bookworm, trixie).",
)
def build(method: str | None, python: str) -> None:
    """Build the sandbox image if its recipe changed, and print its tag."""
    from runner.docker_client import connect
    from runner.images import ensure_image

    settings = settings_or_exit()
    try:
        client = connect(settings.docker_host)
        with Console(stderr=True).status(
            "Building the sandbox image (a few minutes the first time)…"
        ):
            tag = ensure_image(client, None, method=method or "auto", python=python)
    except RunnerError as exc:
        raise bad_input(str(exc)) from None
    click.echo(tag)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_docker(settings: Settings) -> tuple[Check, Any]:
    from runner.docker_client import connect

    try:
        client = connect(settings.docker_host, timeout=10)
    except RunnerError as exc:
        return Check(
            "docker", False, str(exc).split(". ")[0], "start dockerd or set TRUTH_DOCKER_HOST"
        ), None
    version = client.version().get("Version", "?")
    return Check("docker", True, f"engine {version} reachable"), client


def check_image(settings: Settings, client: Any) -> Check:
    from runner.images import dockerfile_tag, image_exists, offline_tag

    if client is None:
        return Check(
            "sandbox image", False, "not checked: Docker is not reachable", "fix Docker first"
        )
    wanted = (
        [settings.sandbox_image] if settings.sandbox_image else [offline_tag(), dockerfile_tag()]
    )
    present = [tag for tag in wanted if image_exists(client, tag)]
    if present:
        return Check("sandbox image", True, present[0])
    return Check(
        "sandbox image", False, f"{' or '.join(wanted)} not built", "run `truth sandbox build`"
    )


def check_redis(settings: Settings) -> Check:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.redis_url, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        return Check(
            "redis",
            False,
            f"{settings.redis_url}: {exc}",
            "start redis-server, or set TRUTH_REDIS_URL to a reachable Redis",
        )
    return Check("redis", True, f"{settings.redis_url} answers PING")


def check_database(settings: Settings) -> Check:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import make_engine

    shown = settings.database_url.split("@")[-1]  # never print the password
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except (SQLAlchemyError, OSError, ValueError) as exc:
        return Check(
            "database",
            False,
            f"{shown}: {type(exc).__name__}",
            "start PostgreSQL, or fix TRUTH_DATABASE_URL (unset it for a local SQLite file)",
        )
    return Check("database", True, f"{shown} reachable")


@click.command()
def doctor() -> None:
    """Check Docker, the sandbox image, Redis and the database, and say how to fix what fails."""
    settings = settings_or_exit()
    docker_check, client = check_docker(settings)
    probes: list[Callable[[], Check]] = [
        lambda: check_image(settings, client),
        lambda: check_redis(settings),
        lambda: check_database(settings),
    ]
    checks = [docker_check, *(probe() for probe in probes)]
    for check in checks:
        line = f"{'OK  ' if check.ok else 'FAIL'} {check.name:<14} {check.detail}"
        click.echo(line + ("" if check.ok else f"  → {check.fix}"))
    sys.exit(0 if all(c.ok for c in checks) else 1)

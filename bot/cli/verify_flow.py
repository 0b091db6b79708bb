"""What `truth verify` does: read .github/truth.yml like `truth fix`, prepare the repository's
own environment, run the baseline, stop at an environment problem, verify the patch tiered."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from bot.github.config import CONFIG_PATH, RepoConfig, parse_config_text
from runner.results import Verdict, Verification

EXIT_VERIFIED, EXIT_NOT_VERIFIED, EXIT_ENVIRONMENT = 0, 1, 2


def repo_config(root: Path) -> RepoConfig:
    """The checkout's `.github/truth.yml`; raises ConfigInvalid saying what is wrong."""
    path = root / CONFIG_PATH
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    return RepoConfig.model_validate(parse_config_text(text, str(path)))


def operator_timeout(settings: Any) -> float | None:
    """TRUTH_SANDBOX_TIMEOUT_SECONDS, when the operator set it, is the default baseline limit."""
    explicit = "TRUTH_SANDBOX_TIMEOUT_SECONDS" in os.environ
    return float(settings.sandbox_timeout_seconds) if explicit else None


def pre_existing(verification: Verification, targets: list[str]) -> list[str]:
    """Tests failing before and after that are not targets: listed, not regressions."""
    if not targets or verification.baseline is None or verification.patched is None:
        return []  # without named targets every test failing before is a target
    before = set(verification.baseline.failing_tests())
    after = set(verification.patched.failing_tests())
    return sorted((before & after) - set(targets))


def progress_console(as_json: bool) -> Console:
    """Progress goes to stderr; with --json only when stderr is a terminal."""
    err = Console(stderr=True, soft_wrap=True)
    return Console(stderr=True, quiet=True) if as_json and not err.is_terminal else err


def run_verify(
    settings: Any,
    path: Path,
    patch: str,
    test_command: str | None,
    targets: list[str],
    timeout: float | None,
    as_json: bool,
    to_json: Any,
    *,
    allow_test_changes: bool = False,
    patch_name: str = "the patch file",
) -> int:
    """Verify `patch` on the repository at `path`; prints the verdict, returns the exit code."""
    from runner.docker_client import connect
    from runner.proof import write_proof
    from runner.session import Options, make_ready, run_baseline, timed
    from runner.snapshot import RepoSnapshot
    from runner.tiered import environment_verdict, verify_tiered

    config = repo_config(path)
    options = Options(
        test_command=test_command or config.test_command,
        install_command=config.install_command,
        python=config.python,
        timeout=timeout or config.timeout or operator_timeout(settings),
        env=config.env,
    )
    wanted = list(targets) or list(config.targets)
    err = progress_console(as_json)
    started = time.monotonic()

    def progress(message: str) -> None:
        err.print(f"[{time.monotonic() - started:6.1f}s] {message}", markup=False, highlight=False)

    client = connect(settings.docker_host)
    snapshot = RepoSnapshot.from_path(path)
    ready = make_ready(
        client,
        snapshot,
        settings.sandbox_limits,
        options,
        progress,
        settings.sandbox_image,
        settings.ca_bundle_path,
        egress=settings.egress_policy,
    )
    baseline = run_baseline(ready, snapshot, progress)
    result = environment_verdict(baseline, ready.context)
    if result is None:
        with timed(progress, "Verifying the patch (target tests first, then the full suite)"):
            result = verify_tiered(
                ready.sandbox,
                snapshot,
                patch,
                ready.command,
                baseline,
                wanted or None,
                ready.context,
                ready.baseline_limit,
                allow_test_changes=allow_test_changes,
            )
    existing = pre_existing(result, wanted)
    name = f"verify-{time.strftime('%Y%m%d-%H%M%S')}-{snapshot.digest[:8]}"
    environment = {
        "python": f"{ready.python.version} ({ready.python.why})",
        "test_command": f"{ready.command.command} ({ready.command.how})",
        "install": ready.report.lines() if ready.report else [],
    }
    proof = write_proof(
        result,
        settings.state_dir / "proofs",
        name,
        patch=patch,
        snapshot=snapshot,
        environment=environment,
    )
    # The proof files are named for this run; the session shows it on the dashboard.
    from bot.cli.session_link import session_line, session_url
    from bot.cli.verify_record import record_verify_session

    session_id = record_verify_session(
        settings, path, patch, patch_name, result, proof[0], proof[1]
    )
    if as_json:
        shown = to_json(result, proof)
        shown["session_url"] = session_url(settings, session_id)
        shown.update(
            python={"version": ready.python.version, "why": ready.python.why},
            test_command={"command": ready.command.command, "how": ready.command.how},
            install=ready.report.lines() if ready.report else [],
            pre_existing_failures=existing,
        )
        click.echo(json.dumps(shown))
    else:
        style = {"verified": "bold green", "baseline_passes": "yellow"}.get(
            result.verdict.value, "bold red"
        )
        out = Console()
        out.print(f"[{style}]{result.verdict.value.upper()}[/] {result.reason}", highlight=False)
        if existing:
            out.print(f"pre-existing failures (not regressions): {', '.join(existing)}")
        out.print(f"proof: {proof[1]}")
        out.print(session_line(settings, session_id), highlight=False, markup=False)
    if result.verdict is Verdict.ENVIRONMENT_ERROR:
        return EXIT_ENVIRONMENT
    return EXIT_VERIFIED if result.verified else EXIT_NOT_VERIFIED

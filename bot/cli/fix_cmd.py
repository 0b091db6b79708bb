"""`truth fix PATH`: the whole fix pipeline on a local checkout, with live progress.

Reads the checkout's own `.github/truth.yml` (test_command, install_command, max_candidates,
protected_paths, allow_dangerous_calls, python, timeout, targets, env) like the GitHub App does;
flags override it.

Exit codes: 0 verified fix found, 1 no verified fix, 3 nothing to fix (the tests pass),
2 bad input or an environment problem, including `environment_error` (the tests cannot run as
the repository declares them; the message says what to do).

`--json` prints one object on stdout:
{"status": "verified"|"no_fix"|"nothing_to_fix"|"environment_error", "session_id", "message",
 "baseline": {"command", "end", "exit_code", "duration_ms", "failing_tests", "passing_tests"},
 "failures": [{"test_id", "exc_type", "message", "category", "frames": [...]}],
 "libraries": {name: version|null},
 "candidates": [{"id", "engine", "status", "reason", "duration_ms", "changed_lines", "votes",
                 "description", "diff"}],
 "winner": {"id", "engine", "diff", "proof": {"json", "text", "reproduce"}} | null,
 "session_url": "TRUTH_PUBLIC_URL/sessions/<session_id>"}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from bot.errors import ConfigError, ConfigInvalid
from bot.fix.types import FixOutcome, FixRequest, FixStatus
from bot.github.config import CONFIG_PATH, RepoConfig, parse_config_text
from bot.settings import load_settings

EXIT_CODES = {
    FixStatus.VERIFIED: 0,
    FixStatus.NO_FIX: 1,
    FixStatus.NOTHING_TO_FIX: 3,
    FixStatus.ENVIRONMENT_ERROR: 2,
    FixStatus.FLAKY: 1,
}


def outcome_json(outcome: FixOutcome) -> dict[str, Any]:
    baseline = outcome.baseline
    winner = outcome.winner
    reproduce = ""
    if winner is not None and winner.verification is not None and outcome.proof_json_path:
        reproduce = json.loads(outcome.proof_json_path.read_text()).get("reproduce", "")
    return {
        "status": outcome.status.value,
        "session_id": outcome.session_id,
        "message": outcome.message,
        "baseline": None if baseline is None else baseline.summary(),
        "failures": [
            {k: f[k] for k in ("test_id", "exc_type", "message", "category", "frames")}
            for f in outcome.failures
        ],
        "libraries": outcome.libraries,
        "candidates": [
            {
                "id": c.id,
                "engine": c.engine,
                "status": c.status,
                "reason": c.reason,
                "duration_ms": round(c.duration_ms, 1),
                "changed_lines": c.changed_lines,
                "votes": c.votes,
                "description": c.description,
                "diff": c.diff,
            }
            for c in outcome.candidates
        ],
        "winner": None
        if winner is None
        else {
            "id": winner.id,
            "engine": winner.engine,
            "diff": winner.diff,
            "proof": {
                "json": str(outcome.proof_json_path),
                "text": str(outcome.proof_text_path),
                "patch": str(outcome.patch_path),
                "reproduce": reproduce,
            },
        },
    }


def local_config(root: Path) -> tuple[RepoConfig, set[str]]:
    """The checkout's own `.github/truth.yml` (the same file the GitHub App reads)."""
    path = root / CONFIG_PATH
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    keys = parse_config_text(text, str(path))
    return RepoConfig.model_validate(keys), set(keys)


def time_limit_source(flag: float | None, configured: set[str], config: RepoConfig) -> str:
    """Where the baseline's time limit came from, in the words that change it."""
    if flag:
        return f"--timeout {flag:g}"
    if "timeout" in configured:
        return f"`timeout: {config.timeout:g}` in {CONFIG_PATH}"
    return "the default (TRUTH_SANDBOX_TIMEOUT_SECONDS)"


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--test", "test_command", help="Test command (default: python -m pytest -q).")
@click.option(
    "--candidates",
    type=click.IntRange(1, 16),
    default=None,
    help="Candidates verified in parallel per round (default 3).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=None,
    help="The baseline's time limit in seconds (candidates' limits follow its measured time).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Print every candidate as it is judged, and all at the end.",
)
def fix(
    path: Path,
    test_command: str | None,
    candidates: int | None,
    timeout: float | None,
    as_json: bool,
    verbose: bool,
) -> None:
    """Find a verified fix for the failing tests of the repository at PATH."""
    from bot.cli.fix_summary import SummaryContext, print_summary
    from bot.cli.progress import TerminalProgress
    from bot.cli.session_link import session_line, session_url
    from bot.fix.pipeline import build_deps, repo_root_of, run_fix
    from runner.errors import RunnerError

    err = Console(stderr=True, soft_wrap=True)
    root = repo_root_of(path)
    if not root.is_dir():
        err.print(f"[red]{path} is not a directory.[/] Give the path of a repository checkout.")
        sys.exit(2)
    try:
        settings = load_settings()
    except (ConfigError, ValueError) as exc:
        err.print(f"[red]Configuration error:[/] {exc}")
        sys.exit(2)
    try:
        config, configured = local_config(root)
    except ConfigInvalid as exc:
        err.print(f"[red]Repository config error:[/] {escape(str(exc))}")
        sys.exit(2)
    request = FixRequest(
        repo_root=root,
        test_command=test_command or config.test_command,
        candidates=candidates
        or (config.max_candidates if "max_candidates" in configured else settings.candidates),
        install_command=config.install_command,
        protected_paths=config.protected_paths,
        allow_dangerous_calls=config.allow_dangerous_calls,
        python=config.python,
        timeout=timeout or config.timeout,
        targets=config.targets,
        env=config.env,
    )
    # With --json, progress still goes to stderr when that is a terminal (stdout may be a pipe).
    quiet = as_json and not err.is_terminal
    try:
        with TerminalProgress(err, verbose=verbose) as progress:
            sink = (lambda _e: None) if quiet else progress
            deps = build_deps(settings, progress=sink)
            outcome = run_fix(request, deps, sink)
    except RunnerError as exc:
        err.print(f"[red]Sandbox problem:[/] {exc}")
        sys.exit(2)
    if as_json:
        shown = outcome_json(outcome)
        shown["session_url"] = session_url(settings, outcome.session_id)
        click.echo(json.dumps(shown, indent=2))
    else:
        context = SummaryContext(
            root=root,
            session_line=session_line(settings, outcome.session_id),
            time_limit=time_limit_source(timeout, configured, config),
            model_configured=bool(settings.model),
            verbose=verbose,
        )
        print_summary(Console(soft_wrap=False), outcome, context)
    sys.exit(EXIT_CODES[outcome.status])

"""`truth trace` (rebuild a sealed trace from a local commit range) and `truth trace-verify`."""

from __future__ import annotations

import json
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import click

from bot.errors import ConfigError
from bot.settings import load_settings

EXIT_INTACT, EXIT_TAMPERED, EXIT_UNREADABLE = 0, 1, 2


def _fail(message: str, code: int = EXIT_UNREADABLE) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("trace")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--base", required=True, help="Commit before the fix (excluded).")
@click.option("--head", required=True, help="Last commit of the fix (included).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("--run-tests", is_flag=True, help="Run each commit's tests in the sandbox.")
@click.option("--test-command", default="python -m pytest -q", show_default=True)
def trace(
    path: Path, base: str, head: str, out: Path | None, run_tests: bool, test_command: str
) -> None:
    """Rebuild, judge and seal the trace of commits BASE..HEAD in the repository at PATH."""
    from bot.traces.gitlog import GitError
    from bot.traces.local_source import CommitTests, reconstruct_local
    from bot.traces.rationale import structure
    from bot.traces.schema import Validation
    from bot.traces.service import judge_and_seal

    try:
        settings = load_settings()
        structurer = partial(structure, model=settings.model, api_base=settings.model_api_base)
        tests: dict[str, CommitTests] = {}
        validation: Validation | None = None
        if run_tests:
            from bot.traces.validate import run_commit_tests

            tests, validation = run_commit_tests(path, base, head, test_command, settings)
        built = reconstruct_local(path, base, head, structurer=structurer, tests=tests)
        built.repo.test_command = test_command if run_tests else None
        sealed = judge_and_seal(built, settings, validation)
    except (GitError, ConfigError) as exc:
        _fail(str(exc))
    text = sealed.model_dump_json(indent=2)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
    scores = sealed.qa.judge.scores.overall if sealed.qa.judge else None
    click.echo(
        f"trace {sealed.trace_id}: {sealed.metrics.num_events} events from "
        f"{sealed.metrics.num_commits} commits, {sealed.metrics.redactions} redactions, "
        f"judge overall {scores}, chain head "
        f"{sealed.integrity.event_hash_chain if sealed.integrity else '-'}",
        err=True,
    )


def _load_document(file: Path) -> dict[str, Any]:
    try:
        document: Any = json.loads(file.read_bytes())
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _fail(f"{file} is not JSON ({exc}); it is damaged or not a trace")
    if not isinstance(document, dict) or not isinstance(document.get("integrity"), dict):
        _fail(f"{file} is not a sealed trace (no integrity block); produce one with `truth trace`")
    return dict(document)


def intact_words(document: dict[str, Any], checked: tuple[str, ...], public_key: Any) -> str:
    """`Intact: 14 events; checked the Ed25519 signature (key …) and the HMAC chain.`"""
    from bot.traces import signing

    names = {
        "signature": "the Ed25519 signature"
        + (f" (key {signing.key_id(public_key)})" if public_key is not None else ""),
        "hmac-chain": "the HMAC chain",
    }
    events = document.get("events")
    count = len(events) if isinstance(events, list) else 0
    what = " and ".join(names.get(c, c) for c in checked) or "nothing"
    return f"Intact: {count} event{'' if count == 1 else 's'}; checked {what}."


@click.command("trace-verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--secret-env", help="Name of the variable holding the trace secret (HMAC chain).")
@click.option(
    "--public-key",
    "public_key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ed25519 public key (PEM or base64 from /v1/keys); default: this machine's key.",
)
def trace_verify(file: Path, secret_env: str | None, public_key_file: Path | None) -> None:
    """Check FILE's chain and signature: exit 0 intact, 1 tampered, 2 unreadable."""
    from bot.traces import signing
    from bot.traces.integrity import verify_document

    document = _load_document(file)
    secret = None
    if secret_env:
        if secret_env not in os.environ:
            _fail(f"${secret_env} is not set; export the trace secret in it or drop --secret-env")
        secret = os.environ[secret_env].encode("utf-8")
    public_key = None
    try:
        if public_key_file is not None:
            public_key = signing.parse_public_key(public_key_file.read_text())
        else:
            key_file = signing.key_path(load_settings())
            if key_file.exists():
                public_key = signing.load_private_key(key_file).public_key()
            elif secret is None:
                _fail(
                    f"no key to verify with: {key_file} does not exist; pass --public-key "
                    "(from /v1/keys) or --secret-env"
                )
    except (OSError, ValueError) as exc:
        _fail(f"cannot load the public key: {exc}")
    result = verify_document(document, secret=secret, public_key=public_key)
    if result.ok:
        click.echo(intact_words(document, result.checked, public_key))
        sys.exit(EXIT_INTACT)
    click.echo(f"TAMPERED: {result.reason}")
    sys.exit(EXIT_TAMPERED)

"""One entry point from any failure text (pytest, traceback, Actions log) to structured failures."""

from __future__ import annotations

import re
from pathlib import Path

from bot.analysis.actions import clean_actions_log, is_actions_log, split_jobs, strip_ansi
from bot.analysis.failures import Failure
from bot.analysis.hangs import parse_hangs
from bot.analysis.paths import normalize_path
from bot.analysis.pytest_log import looks_like_pytest, parse_pytest, split_sessions
from bot.analysis.tracebacks import parse_tracebacks

# Installer failures name no test and no traceback, yet they are why the job failed.
PIP_ERRORS = re.compile(
    r"^(?:ERROR|error): (?P<message>(?:Could not find a version that satisfies the requirement|"
    r"No matching distribution found for|ResolutionImpossible|Cannot install|"
    r"Could not install packages due to|Failed building wheel for|"
    r"Because .* we can conclude|Failed to (?:download|build|fetch)).*)$",
    re.M,
)


def parse_failures(text: str, repo_root: Path | None = None) -> list[Failure]:
    """Structured failures from pytest output, Python tracebacks or GitHub Actions job logs."""
    chunks = split_jobs(text) if is_actions_log(text) else [text]
    failures: list[Failure] = []
    for chunk in chunks:
        failures.extend(_parse_chunk(chunk, repo_root))
    return _dedupe(failures)


def _parse_chunk(text: str, repo_root: Path | None) -> list[Failure]:
    clean = (
        clean_actions_log(text) if is_actions_log(text) else strip_ansi(text.replace("\r\n", "\n"))
    )

    def fix_path(raw: str, rootdir: str | None = None) -> tuple[str, bool]:
        return normalize_path(raw, repo_root, rootdir)

    failures: list[Failure] = []
    rest = clean
    if looks_like_pytest(clean):
        failures.extend(parse_pytest(clean, fix_path))
        for session in split_sessions(clean):
            rest = rest.replace(session, "")
    failures.extend(parse_tracebacks(rest, fix_path))
    # A test killed at a time limit leaves no traceback, only faulthandler's stack dump.
    failures.extend(parse_hangs(clean, fix_path, repo_root))
    for match in PIP_ERRORS.finditer(rest):
        failures.append(
            Failure(
                None, "DependencyInstallError", match.group("message").strip(), [], match.group(0)
            )
        )
    return failures


def _dedupe(failures: list[Failure]) -> list[Failure]:
    """The same test failing the same way in two jobs (a Python matrix) is reported once."""
    seen: set[tuple[str | None, str, str]] = set()
    unique = []
    for failure in failures:
        key = (failure.test_id, failure.exc_type, failure.message)
        if key in seen and failure.test_id is not None:
            continue
        seen.add(key)
        unique.append(failure)
    return unique

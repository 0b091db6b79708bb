"""Failures of the environment, not of the code: each with its exact cause and remedy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from runner.discovery.imports import declared_match, distribution_for_import
from runner.results import RunEnd, RunResult, TestStatus

CONFIG = ".github/truth.yml"
_MISSING = re.compile(r"ModuleNotFoundError: No module named '([\w.]+)'")
_WHERE = re.compile(
    r"^(?:/workspace/repo/)?([\w./-]+\.py):\d+: in <module>"
    r"|File \"(?:/workspace/repo/)?([^\"]+)\""
    r"|loading conftest '(?:/workspace/repo/)?([^']+)'",
    re.M,
)
_PY_SYNTAX = re.compile(
    r"TypeError: unsupported operand type\(s\) for \|: 'type'|"
    r"ImportError: cannot import name '\w+' from 'collections'|"
    r"AttributeError: module '(asyncio|inspect|unittest)' has no attribute|"
    r"SyntaxError: invalid syntax"
)
# Standard-library modules removed in 3.12/3.13: missing only because the Python is too new.
REMOVED_STDLIB = frozenset(
    {"distutils", "imp", "asynchat", "asyncore", "smtpd", "cgi", "cgitb", "crypt", "imghdr",
     "mailcap", "nntplib", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
     "aifc", "audioop", "chunk", "msilib", "nis", "ossaudiodev"}
)  # fmt: skip


@dataclass(frozen=True)
class EnvironmentProblem:
    cause: str
    remedy: str

    def text(self) -> str:
        return f"{self.cause}: {self.remedy}"


@dataclass
class Context:
    """What the classifier knows about the repository and its sandbox."""

    declared: dict[str, str | None]
    own_modules: frozenset[str]
    python: str = ""
    failed_installs: tuple[str, ...] = ()
    test_file_hint: str = "requirements-test.txt (or the test extra)"


def own_modules(files: Iterable[str]) -> frozenset[str]:
    """Top-level module names the repository itself provides (also under src/)."""
    names = set()
    for name in files:
        parts = name.split("/")
        if parts[0] == "src" and len(parts) > 1:
            parts = parts[1:]
        head = parts[0]
        names.add(head[:-3] if head.endswith(".py") else head)
    return frozenset(names)


def _output(run: RunResult) -> str:
    messages = "\n".join(o.message for o in run.tests.values() if o.message)
    messages += "\n" + "\n".join(collection_errors(run).values())
    return f"{run.stdout}\n{run.stderr}\n{messages}"


def _importer(text: str, position: int) -> str:
    """The repository file whose import failed (the nearest frame above the error)."""
    found = ""
    for match in _WHERE.finditer(text[:position]):
        path = match.group(1) or match.group(2) or match.group(3) or ""
        if not path.startswith("/") and "site-packages" not in path:
            found = path
    return found or "the tests"


def _missing_module(run: RunResult, ctx: Context) -> EnvironmentProblem | None:
    text = _output(run)
    for match in _MISSING.finditer(text):
        module = match.group(1)
        top = module.split(".")[0]
        if top in ctx.own_modules:
            continue  # a broken import of the repository's own code is a real bug
        who = _importer(text, match.start())
        if top in REMOVED_STDLIB:
            return EnvironmentProblem(
                f"{who} imports {top}, which Python {ctx.python or 'in the sandbox'} no longer has",
                f"set `python: 3.11` (or older) in {CONFIG}",
            )
        dist = declared_match(distribution_for_import(module), ctx.declared)
        if dist in ctx.declared:
            failed = "; ".join(ctx.failed_installs) or "see the install report"
            return EnvironmentProblem(
                f"{who} imports {module}, declared as {dist} but not installed ({failed})",
                f"fix that declaration, or set install_command in {CONFIG}",
            )
        return EnvironmentProblem(
            f"{who} imports {module}, which no dependency file declares",
            f"add {dist} to {ctx.test_file_hint}, or set install_command in {CONFIG}",
        )
    return None


def _collection_only(run: RunResult) -> bool:
    """Nothing ran: the report is empty or holds only errors (collection failures)."""
    statuses = {o.status for o in run.tests.values()}
    return not statuses or statuses == {TestStatus.ERROR}


def classify(run: RunResult, ctx: Context) -> EnvironmentProblem | None:
    """The environment problem a (baseline) run shows, or None when it is a test result."""
    if run.end is not RunEnd.EXITED or run.exit_code in (0, None):
        return None
    command = run.command.split(" -o junit_family")[0]
    text = _output(run)
    if run.exit_code == 127 or re.search(r": (command )?not found", run.stderr):
        word = re.search(r"(?:sh: \d+: )?([\w./-]+): (?:command )?not found", text)
        name = word.group(1) if word else command.split()[0]
        return EnvironmentProblem(
            f"`{name}` was not found in the sandbox (exit {run.exit_code}) running `{command}`",
            f"declare the package that provides it, or set test_command in {CONFIG}",
        )
    if run.exit_code == 5 and not run.tests:
        return EnvironmentProblem(
            f"`{command}` collected no tests (pytest exit 5)",
            f"point test_command in {CONFIG} at the tests (e.g. `python -m pytest tests`), "
            "or check testpaths/python_files in the pytest configuration",
        )
    if _collection_only(run) or all(
        _MISSING.search(o.message) for o in run.tests.values() if o.status is TestStatus.FAILED
    ):
        problem = _missing_module(run, ctx)
        if problem:
            return problem
        version = _PY_SYNTAX.search(text)
        if version and _collection_only(run):
            return EnvironmentProblem(
                f"the code does not import on Python {ctx.python or '?'} ({version.group(0)})",
                f"set `python:` in {CONFIG} to the version the project supports, or declare "
                "requires-python",
            )
    if run.exit_code == 4:
        errors = [ln for ln in run.stderr.splitlines() if "error:" in ln.lower()]
        first = errors[-1] if errors else ""
        detail = f": {first.strip()}" if first else ""
        return EnvironmentProblem(
            f"`{command}` was rejected as a usage error (pytest exit 4){detail}",
            "declare the plugin that provides the option, or fix test_command in " + CONFIG,
        )
    return None


def collection_errors(run: RunResult) -> dict[str, str]:
    """Files that failed to import (id -> message), from the report or the supervisor."""
    found = {
        test_id: outcome.message
        for test_id, outcome in run.tests.items()
        if outcome.status is TestStatus.ERROR and "::" not in test_id
    }
    found.update(getattr(run, "collect_errors", None) or {})
    return found


def same_collection_errors(baseline: RunResult, patched: RunResult) -> list[str]:
    """Collection errors (import-time failures) identical before and after a patch."""
    before, after = collection_errors(baseline), collection_errors(patched)
    return sorted(t for t, message in before.items() if after.get(t) == message)

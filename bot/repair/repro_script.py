"""When a log names no test, ask the model for a pytest file that reproduces the failure."""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable
from typing import Any

from bot.repair.base import RepairContext
from bot.repair.diffs import make_diff
from bot.repair.model_engine import ModelEngine, ModelUnavailable, read_sources
from bot.repair.model_output import InvalidModelOutput
from bot.repair.prompts import build_repro_messages
from bot.repair.sanitize import check_patch
from runner.policy import policy_findings

log = logging.getLogger(__name__)

REPRODUCTION_PATH = "tests/test_truth_reproduction.py"
MAX_SCRIPT_CHARS = 20_000


def reproduction_diff(code: str, path: str = REPRODUCTION_PATH) -> str:
    """A diff that creates the reproduction file, for the sandbox to apply like any patch."""
    diff = make_diff(path, "", code)
    return diff.replace(f"--- a/{path}\n", "--- /dev/null\n", 1)


def _parse_script(ctx: RepairContext) -> Callable[[dict[str, Any]], str]:
    def parse(answer: dict[str, Any]) -> str:
        code = answer.get("code")
        if not isinstance(code, str) or not code.strip():
            raise InvalidModelOutput('"code" must be the whole test file as a string')
        if len(code) > MAX_SCRIPT_CHARS:
            raise InvalidModelOutput(f"the file is longer than {MAX_SCRIPT_CHARS} characters")
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            raise InvalidModelOutput(
                f"the file does not parse: {exc.msg} (line {exc.lineno})"
            ) from exc
        tests = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test")
        ]
        if not tests:
            raise InvalidModelOutput("the file defines no test_ function for pytest to run")
        code = code if code.endswith("\n") else code + "\n"
        verdict = check_patch(ctx.repo_root, reproduction_diff(code))
        if not verdict.ok:
            raise InvalidModelOutput(verdict.reason)
        # A test file escapes the candidates' code policy (tests are frozen instead), but this
        # one is ours to add to the baseline: it gets the policy itself.
        found = policy_findings({REPRODUCTION_PATH: (None, code)})
        findings = [f for f in found if f.rule != "test-framework"]  # pytest.raises is fine
        if findings:
            raise InvalidModelOutput(
                f"the test makes forbidden or dangerous calls: {findings[0]}; "
                "write a test that only imports and calls the code under test"
            )
        return code

    return parse


def write_reproduction(
    engine: ModelEngine, ctx: RepairContext, log_excerpt: str = ""
) -> str | None:
    """The reproduction file's code, or None when the model gives nothing usable.

    The caller keeps it only if it fails on the unpatched code."""
    if (ctx.repo_root / REPRODUCTION_PATH).exists():
        log.warning("%s already exists; not overwriting it with a reproduction", REPRODUCTION_PATH)
        return None
    messages = build_repro_messages(
        ctx.failures, read_sources(ctx), log_excerpt or ctx.baseline_output
    )
    try:
        return str(engine.ask_json(messages, _parse_script(ctx)).value)
    except ModelUnavailable as exc:
        log.warning("no reproduction script: %s", exc)
        return None

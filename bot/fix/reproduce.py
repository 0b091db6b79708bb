"""When CI's log names no test, have the model write one that fails; keep it only if it does."""

from __future__ import annotations

from collections.abc import Sequence

from bot.repair.base import RepairContext, RepairEngine
from bot.repair.model_engine import ModelEngine
from bot.repair.repro_script import reproduction_diff, write_reproduction
from runner.results import RunEnd, RunResult
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot

LOG_EXCERPT_CHARS = 20_000


def model_engine_of(engines: Sequence[RepairEngine]) -> ModelEngine | None:
    return next((e for e in engines if isinstance(e, ModelEngine)), None)


def reproduce_from_log(
    model: ModelEngine,
    ctx: RepairContext,
    failure_log: str,
    snapshot: RepoSnapshot,
    sandbox: Sandbox,
    command: str,
) -> tuple[str, RunResult] | None:
    """The reproduction test as a diff plus its failing baseline run, or None if it is no use."""
    code = write_reproduction(model, ctx, log_excerpt=failure_log[-LOG_EXCERPT_CHARS:])
    if code is None:
        return None
    diff = reproduction_diff(code)
    baseline = sandbox.run(snapshot, command, patch=diff)
    # A reproduction that passes on the unpatched code proves nothing about the bug.
    if baseline.passed or baseline.end in (RunEnd.PATCH_FAILED, RunEnd.ERROR):
        return None
    return diff, baseline

"""run_fix with real sandboxes and hand-picked engines: CI logs, sanitization, regressions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.fix.events import FixEvent
from bot.fix.pipeline import build_deps, run_fix
from bot.fix.types import FixRequest, FixStatus
from bot.repair.base import CandidatePatch, RepairContext
from bot.repair.diffs import make_diff
from bot.settings import load_settings

pytestmark = [pytest.mark.docker, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "off_by_one"
SOURCE = "series/differences.py"
ORIGINAL = (EXAMPLE / SOURCE).read_text()
RIGHT = ORIGINAL.replace("range(len(values))", "range(len(values) - 1)")
# Makes the failing tests pass by breaking largest_jump([]) -- a regression.
REGRESSING = RIGHT.replace("default=0", "default=None")
DANGEROUS = RIGHT.replace("    steps = []", "    steps = []\n    __import__('os').system('id')")

TS = "2026-11-20T10:00:02.0000000Z"
RULE = "=" * 27
CI_LOG = (
    f"{TS} ##[group]Run pytest\n"
    f"{TS} {RULE} short test summary info {RULE}\n"
    f"{TS} FAILED tests/test_differences.py::test_largest_jump_of_nothing_is_zero - "
    "AssertionError: assert None == 0\n"
    f"{TS} {RULE} 1 failed, 3 passed in 0.05s {RULE}\n"
    f"{TS} ##[error]Process completed with exit code 1.\n"
)


class FixedEngine:
    def __init__(self, *sources: str) -> None:
        self.name = "fixed"
        self._sources = sources

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        for source in self._sources[:limit]:
            yield CandidatePatch("fixed", make_diff(SOURCE, ORIGINAL, source), "hand-written")


@pytest.fixture
def deps(tmp_path: Path, sandbox_image: str):
    settings = load_settings(
        state_dir=tmp_path / "state", sandbox_image=sandbox_image, database_url=""
    )
    return build_deps(settings)


def test_only_the_candidate_without_regressions_or_dangerous_calls_wins(deps) -> None:
    deps.engines = [FixedEngine(DANGEROUS, REGRESSING, RIGHT)]
    events: list[FixEvent] = []

    outcome = run_fix(FixRequest(repo_root=EXAMPLE, candidates=3), deps, events.append)

    statuses = {c.id: c.status for c in outcome.candidates}
    assert statuses == {"c1": "rejected", "c2": "failed", "c3": "verified"}
    assert "system" in outcome.candidates[0].reason
    assert "test_largest_jump_of_nothing_is_zero" in outcome.candidates[1].reason
    assert outcome.status is FixStatus.VERIFIED and outcome.winner is not None
    assert outcome.winner.id == "c3"
    assert outcome.proof_json_path is not None and outcome.proof_json_path.exists()
    stages = [e.stage for e in events]
    first = {stage: stages.index(stage) for stage in set(stages)}
    assert first["analyzing"] < first["reproducing"] < first["candidate"] < first["done"]
    assert stages[-1] == "done"


def test_ci_failure_that_passes_in_the_sandbox_is_called_flaky(deps) -> None:
    deps.engines = [FixedEngine(RIGHT)]
    outcome = run_fix(FixRequest(repo_root=EXAMPLE, failure_log=CI_LOG), deps, lambda e: None)

    assert outcome.status is FixStatus.NOTHING_TO_FIX
    assert "flaky" in outcome.message
    assert outcome.candidates == []


def test_no_engine_output_is_no_fix_with_a_clear_message(deps) -> None:
    deps.engines = [FixedEngine()]
    outcome = run_fix(FixRequest(repo_root=EXAMPLE), deps, lambda e: None)

    assert outcome.status is FixStatus.NO_FIX
    assert "no repair engine could propose" in outcome.message


HUNG_SOURCE = '''"""Digit sums."""


def digit_sum(n):
    total = 0
    while n >= 0:
        total += n % 10
        n //= 10
    return total
'''
HUNG_TESTS = """from digits.sums import digit_sum


def test_digit_sum():
    assert digit_sum(1234) == 10


def test_zero():
    assert digit_sum(0) == 0
"""


def test_a_hanging_loop_is_located_from_the_stack_dump_and_fixed(
    tmp_path: Path, sandbox_image: str
) -> None:
    repo = tmp_path / "repo"
    (repo / "digits").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "digits" / "__init__.py").write_text("")
    (repo / "digits" / "sums.py").write_text(HUNG_SOURCE)
    (repo / "tests" / "test_digits.py").write_text(HUNG_TESTS)
    settings = load_settings(
        state_dir=tmp_path / "state",
        sandbox_image=sandbox_image,
        database_url="",
        sandbox_timeout_seconds=5.0,
    )

    outcome = run_fix(
        FixRequest(repo_root=repo, candidates=3), build_deps(settings), lambda e: None
    )

    assert outcome.baseline is not None and outcome.baseline.end.value == "timeout"
    assert "Timeout (" in outcome.baseline.stderr
    hang = outcome.failures[0]
    assert hang["exc_type"] == "Timeout"
    assert hang["test_id"] == "tests/test_digits.py::test_digit_sum"
    assert outcome.status is FixStatus.VERIFIED and outcome.winner is not None
    assert "+    while n > 0:" in outcome.winner.diff

"""The rule engine fixes every fixable example project: a proposed patch makes its tests pass."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.analysis.failures import Category
from bot.analysis.logs import parse_failures
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory
from bot.repair.rules.engine import RuleEngine
from bot.repair.sanitize import check_patch

EXAMPLES = Path(__file__).parents[3] / "examples"
FIXABLE = ["off_by_one", "wrong_operator", "missing_import", "typo_attribute", "missing_none_check"]
FIRST_BATCH = 10  # the pipeline verifies candidates in batches; the fix must be in the first one


def run_pytest(root: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)


def apply(root: Path, diff: str) -> None:
    files = {}
    for path in root.rglob("*.py"):
        files[str(path.relative_to(root))] = path.read_text()
    for name, text in apply_diff_in_memory(files, diff).items():
        (root / name).write_text(text)


@pytest.mark.slow
@pytest.mark.parametrize("example", FIXABLE)
def test_a_candidate_in_the_first_batch_makes_the_example_pass(example, tmp_path):
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root)
    before = run_pytest(root)
    assert before.returncode == 1, before.stdout
    failures = parse_failures(before.stdout, root)
    assert failures
    ctx = RepairContext(root, failures, "pytest", Category.UNKNOWN, "")
    candidates = list(RuleEngine().propose(ctx, FIRST_BATCH))
    assert 0 < len(candidates) <= FIRST_BATCH
    passing = []
    for candidate in candidates:
        assert check_patch(root, candidate.diff).ok
        attempt = tmp_path / f"attempt-{len(passing)}-{candidates.index(candidate)}"
        shutil.copytree(EXAMPLES / example, attempt)
        apply(attempt, candidate.diff)
        if run_pytest(attempt).returncode == 0:
            passing.append(candidate)
            break
    assert passing, [c.description for c in candidates]


@pytest.mark.slow
def test_no_candidate_fixes_the_wrong_algorithm(tmp_path):
    root = tmp_path / "no_fix"
    shutil.copytree(EXAMPLES / "no_fix", root)
    failures = parse_failures(run_pytest(root).stdout, root)
    ctx = RepairContext(root, failures, "pytest", Category.UNKNOWN, "")
    for index, candidate in enumerate(RuleEngine().propose(ctx, FIRST_BATCH)):
        attempt = tmp_path / f"attempt-{index}"
        shutil.copytree(EXAMPLES / "no_fix", attempt)
        apply(attempt, candidate.diff)
        assert run_pytest(attempt).returncode != 0, candidate.description


def test_green_example_passes_as_shipped(tmp_path):
    shutil.copytree(EXAMPLES / "green", tmp_path / "green")
    assert run_pytest(tmp_path / "green").returncode == 0

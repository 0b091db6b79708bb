"""A CI failure that names no test: the model writes a reproduction, then a fix verified with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.fix.pipeline import build_deps, run_fix
from bot.fix.types import FixRequest, FixStatus
from bot.repair.model_engine import ModelEngine
from bot.repair.usage import Usage
from bot.settings import load_settings
from tests.fixtures.model_provider import FAKE_API_BASE, FAKE_API_KEY, FakeModelProvider

pytestmark = [pytest.mark.docker, pytest.mark.slow]

STATS = "def mean(values):\n    return sum(values) / len(values)\n"
GREEN_TEST = "from stats import mean\n\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n"
CI_LOG = """\
2026-11-20T10:00:01.0000000Z ##[group]Run python -m stats_report
2026-11-20T10:00:01.1000000Z Traceback (most recent call last):
2026-11-20T10:00:01.1000000Z   File "/home/runner/work/demo/demo/stats.py", line 2, in mean
2026-11-20T10:00:01.1000000Z     return sum(values) / len(values)
2026-11-20T10:00:01.1000000Z ZeroDivisionError: division by zero
2026-11-20T10:00:01.2000000Z ##[error]Process completed with exit code 1.
"""
REPRODUCTION = "from stats import mean\n\n\ndef test_mean_of_nothing():\n    assert mean([]) == 0\n"
FIX = {
    "patches": [
        {
            "description": "An empty series has mean 0 instead of dividing by zero.",
            "edits": [
                {
                    "path": "stats.py",
                    "search": "    return sum(values) / len(values)\n",
                    "replace": "    if not values:\n        return 0\n"
                    "    return sum(values) / len(values)\n",
                }
            ],
        }
    ]
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    (root / "tests").mkdir(parents=True)
    (root / "stats.py").write_text(STATS)
    (root / "tests" / "test_stats.py").write_text(GREEN_TEST)
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\npythonpath = ["."]\n')
    return root


def test_reproduction_from_an_unnamed_failure_drives_a_verified_fix(
    repo: Path, tmp_path: Path, sandbox_image: str, model_provider: FakeModelProvider
) -> None:
    model_provider.script(
        "gpt-4o-mini",
        json.dumps({"code": REPRODUCTION}),
        json.dumps({"category": "type"}),  # the model categorizer overrules the rules' guess
        json.dumps(FIX),
    )
    deps = build_deps(
        load_settings(state_dir=tmp_path / "state", sandbox_image=sandbox_image, database_url="")
    )
    deps.engines = [
        ModelEngine(
            "openai/gpt-4o-mini", usage=Usage(), api_base=FAKE_API_BASE, api_key=FAKE_API_KEY
        )
    ]

    outcome = run_fix(FixRequest(repo_root=repo, failure_log=CI_LOG), deps, lambda e: None)

    assert outcome.status is FixStatus.VERIFIED, outcome.message
    assert outcome.winner is not None
    assert "if not values:" in outcome.winner.diff
    assert "test_truth_reproduction" not in outcome.winner.diff
    assert outcome.baseline is not None
    assert outcome.baseline.failing_tests() == [
        "tests/test_truth_reproduction.py::test_mean_of_nothing"
    ]
    reproduce, categorize, repair = (json.dumps(r) for r in model_provider.requests)
    assert "ZeroDivisionError" in reproduce
    assert "Classify the root cause" in categorize and "rule-based guess: assertion" in categorize
    assert "A value has the wrong type" in repair  # the strategy of the model's category


def test_a_reproduction_that_passes_is_discarded(
    repo: Path, tmp_path: Path, sandbox_image: str, model_provider: FakeModelProvider
) -> None:
    passing = "from stats import mean\n\n\ndef test_mean_again():\n    assert mean([2]) == 2\n"
    model_provider.script("gpt-4o-mini", json.dumps({"code": passing}))
    deps = build_deps(
        load_settings(state_dir=tmp_path / "state", sandbox_image=sandbox_image, database_url="")
    )
    deps.engines = [
        ModelEngine(
            "openai/gpt-4o-mini", usage=Usage(), api_base=FAKE_API_BASE, api_key=FAKE_API_KEY
        )
    ]

    outcome = run_fix(FixRequest(repo_root=repo, failure_log=CI_LOG), deps, lambda e: None)

    assert outcome.status is FixStatus.NOTHING_TO_FIX
    assert len(model_provider.requests) == 1

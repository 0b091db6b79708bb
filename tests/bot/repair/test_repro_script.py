"""Reproduction scripts written by the model: only parseable, safe pytest files are kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory, parse_diff
from bot.repair.model_engine import ModelEngine
from bot.repair.repro_script import REPRODUCTION_PATH, reproduction_diff, write_reproduction
from tests.fixtures.model_provider import FakeModelProvider

SCRIPT = "from pkg.seq import last\n\n\ndef test_last_of_two():\n    assert last([1, 2]) == 2\n"


@pytest.fixture
def ctx(tmp_path: Path) -> RepairContext:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "seq.py").write_text("def last(items):\n    return items[len(items)]\n")
    failure = Failure(
        None,
        "IndexError",
        "list index out of range",
        frames=[Frame("pkg/seq.py", 2, "last", "return items[len(items)]")],
    )
    return RepairContext(tmp_path, [failure], "python -m pytest", Category.INDEX_KEY, "sig")


def _engine(provider: FakeModelProvider) -> ModelEngine:
    return ModelEngine(
        "openai/gpt-4o-mini",
        "openai/gpt-4o",
        timeout=5,
        api_base=provider.api_base,
        api_key=provider.api_key,
    )


def test_a_good_script_is_returned_and_the_prompt_shows_the_code(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", json.dumps({"code": SCRIPT}))

    assert write_reproduction(_engine(model_provider), ctx, "IndexError in CI step 3") == SCRIPT
    user = model_provider.requests[0]["messages"][-1]["content"]
    assert "    2 |     return items[len(items)]" in user
    assert "IndexError in CI step 3" in user


def test_scripts_without_tests_or_with_dangerous_calls_fall_through_to_nothing(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    no_test = "from pkg.seq import last\nlast([1])\n"
    dangerous = "import subprocess\n\n\ndef test_x():\n    subprocess.run(['rm', '-rf', '/'])\n"
    model_provider.script(
        "gpt-4o-mini", json.dumps({"code": no_test}), json.dumps({"code": "def test_(:"})
    )
    model_provider.script("gpt-4o", json.dumps({"code": dangerous}), json.dumps({"code": 3}))

    assert write_reproduction(_engine(model_provider), ctx) is None
    primary_retry = model_provider.calls_to("gpt-4o-mini")[1]["messages"][-1]["content"]
    fallback_retry = model_provider.calls_to("gpt-4o")[1]["messages"][-1]["content"]
    assert "defines no test_ function" in primary_retry
    assert "dangerous calls" in fallback_retry and "subprocess" in fallback_retry


def test_an_existing_file_of_that_name_is_never_overwritten(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    (ctx.repo_root / "tests").mkdir()
    (ctx.repo_root / REPRODUCTION_PATH).write_text("# the project's own file\n")
    assert write_reproduction(_engine(model_provider), ctx) is None
    assert model_provider.requests == []


def test_the_reproduction_diff_creates_the_file() -> None:
    diff = reproduction_diff(SCRIPT)
    [patch] = parse_diff(diff)
    assert patch.is_creation and patch.new_path == REPRODUCTION_PATH
    assert apply_diff_in_memory({}, diff) == {REPRODUCTION_PATH: SCRIPT}

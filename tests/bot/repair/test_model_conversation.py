"""The model engine as a conversation: failed candidates' test output goes back to the model,
through the respx-faked provider answering like a real one (bad JSON, 429s, timeouts)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.base import CandidateFeedback, CandidatePatch, RepairContext
from bot.repair.conversation import ConversationBudget
from bot.repair.model_engine import ModelEngine, build_model_engine
from bot.repair.usage import Usage
from bot.settings import Settings
from tests.fixtures.model_provider import FakeModelProvider, rate_limited

SOURCE = "def last(items):\n    return items[len(items)]\n"
TEST_ID = "tests/test_seq.py::test_last"
OUTPUT = "E       assert 1 == 2\nE        +  where 1 = last([1, 2])"


def _answer(replacement: str, description: str) -> str:
    edit = {"path": "seq.py", "search": "return items[len(items)]", "replace": replacement}
    return json.dumps({"patches": [{"description": description, "edits": [edit]}]})


WRONG = _answer("return items[0]", "first item")
RIGHT = _answer("return items[-1]", "last item")


@pytest.fixture
def ctx(tmp_path: Path) -> RepairContext:
    (tmp_path / "seq.py").write_text(SOURCE)
    failure = Failure(
        TEST_ID,
        "IndexError",
        "list index out of range",
        frames=[
            Frame("tests/test_seq.py", 5, "test_last", "assert last([1, 2]) == 2"),
            Frame("seq.py", 2, "last", "return items[len(items)]"),
        ],
        category=Category.INDEX_KEY,
    )
    return RepairContext(
        tmp_path, [failure], "python -m pytest", Category.INDEX_KEY, "sig", [TEST_ID]
    )


def _engine(provider: FakeModelProvider, budget: ConversationBudget | None = None) -> ModelEngine:
    return ModelEngine(
        "openai/gpt-4o-mini",
        "openai/gpt-4o",
        timeout=5,
        api_base=provider.api_base,
        api_key=provider.api_key,
        budget=budget,
        retries=2,
        max_retry_wait=0.0,
    )


def _pipeline(
    ctx: RepairContext, engine: ModelEngine, verified: set[str], limit: int = 5
) -> list[CandidatePatch]:
    """What the fix pipeline does: judge each round's candidates (a description in `verified`
    passes) into `ctx.feedback`, then ask the engine to follow up, until it has nothing more."""
    seen: list[CandidatePatch] = []
    batch = list(engine.propose(ctx, limit))
    while batch:
        for candidate in batch:
            seen.append(candidate)
            status = "verified" if candidate.description in verified else "failed"
            reason = "" if status == "verified" else f"still failing after the patch: {TEST_ID}"
            ctx.feedback.append(CandidateFeedback(candidate.diff, status, reason, OUTPUT))
        batch = engine.follow_up(ctx, limit - len(seen))
    return seen


def test_a_failed_fix_and_its_test_output_go_back_for_the_next_try(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", WRONG, RIGHT)

    seen = _pipeline(ctx, _engine(model_provider), {"last item"})

    assert [c.description for c in seen] == ["first item", "last item"]
    assert [c.meta["round"] for c in seen] == [1, 2]
    first, second = model_provider.calls_to("gpt-4o-mini")
    assert second["messages"][: len(first["messages"])] == first["messages"]
    assistant, feedback = second["messages"][-2:]
    assert assistant["role"] == "assistant" and "return items[0]" in assistant["content"]
    assert feedback["role"] == "user"
    assert f"still failing after the patch: {TEST_ID}" in feedback["content"]
    assert "assert 1 == 2" in feedback["content"]
    assert len(model_provider.requests) == 2  # verified: no third round


def test_the_conversation_survives_a_rate_limit_and_bad_json_in_a_later_round(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", WRONG, rate_limited(), rate_limited(), rate_limited())
    model_provider.script("gpt-4o", "Sure! Here is the fix: {not json", RIGHT)

    seen = _pipeline(ctx, _engine(model_provider), {"last item"})

    assert [c.description for c in seen] == ["first item", "last item"]
    assert [c.meta["model"] for c in seen] == ["openai/gpt-4o-mini", "openai/gpt-4o"]
    # the round the Router moved to the fallback carries on there once the answer is fixed
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [4, 2]
    retried = model_provider.calls_to("gpt-4o")[1]["messages"]
    assert "That answer was rejected" in retried[-1]["content"]
    assert any("assert 1 == 2" in m["content"] for m in retried)


def test_timeouts_on_every_model_end_the_conversation_with_what_was_proposed(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    timeout = httpx.ReadTimeout("timed out")
    model_provider.script("gpt-4o-mini", WRONG, timeout, timeout, timeout)
    model_provider.script("gpt-4o", timeout, timeout, timeout)

    seen = _pipeline(ctx, _engine(model_provider), set())

    assert [c.description for c in seen] == ["first item"]
    # the first answer, then three tries of each model in the second round
    assert len(model_provider.requests) == 7


@pytest.mark.parametrize(
    "budget",
    [ConversationBudget(max_rounds=1), ConversationBudget(max_tokens=100)],
    ids=["rounds", "tokens"],
)
def test_the_budget_stops_further_rounds(
    model_provider: FakeModelProvider, ctx: RepairContext, budget: ConversationBudget
) -> None:
    model_provider.script("gpt-4o-mini", WRONG, RIGHT)

    seen = _pipeline(ctx, _engine(model_provider, budget), {"last item"})

    assert [c.description for c in seen] == ["first item"]
    assert len(model_provider.requests) == 1  # each fake answer costs 160 tokens


def test_no_follow_up_before_the_last_round_was_judged(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", WRONG, RIGHT)
    engine = _engine(model_provider)

    assert engine.follow_up(ctx, 5) == []  # nothing asked yet
    drained = list(engine.propose(ctx, 5))
    assert engine.follow_up(ctx, 5) == []  # the first fix has no verdict yet

    assert [c.description for c in drained] == ["first item"]
    assert len(model_provider.requests) == 1


def test_a_repeated_fix_is_not_proposed_twice(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", WRONG, WRONG, RIGHT)

    seen = _pipeline(ctx, _engine(model_provider), {"last item"})

    # the second answer repeats the first: nothing new to judge, so the conversation ends
    assert [c.description for c in seen] == ["first item"]
    assert len(model_provider.requests) == 2


def test_the_budget_comes_from_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        state_dir=tmp_path,
        model="openai/gpt-4o-mini",
        model_rounds=2,
        model_session_tokens=5000,
        model_session_cost_usd=0.1,
    )
    engine = build_model_engine(settings, Usage())
    assert engine is not None
    assert engine.budget == ConversationBudget(max_rounds=2, max_tokens=5000, max_cost_usd=0.1)

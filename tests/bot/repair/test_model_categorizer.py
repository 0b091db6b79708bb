"""The model may refine the rule category; the rules win whenever its answer is unusable."""

from __future__ import annotations

import json

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.model_categorizer import refine_category
from bot.repair.model_engine import ModelEngine
from tests.fixtures.model_provider import FakeModelProvider

FAILURE = Failure(
    "tests/test_stats.py::test_mean",
    "AssertionError",
    "assert 1.5 == 2",
    frames=[Frame("tests/test_stats.py", 4, "test_mean", "assert mean([1, 2, 3]) == 2")],
)


def _engine(provider: FakeModelProvider) -> ModelEngine:
    return ModelEngine(
        "openai/gpt-4o-mini", None, timeout=5, api_base=provider.api_base, api_key=provider.api_key
    )


def test_a_valid_model_category_replaces_the_rule_guess(model_provider: FakeModelProvider) -> None:
    model_provider.script("gpt-4o-mini", json.dumps({"category": "index_key"}))

    assert refine_category(_engine(model_provider), [FAILURE], Category.ASSERTION) is (
        Category.INDEX_KEY
    )
    prompt = model_provider.requests[0]["messages"]
    assert "assert 1.5 == 2" in prompt[-1]["content"]
    assert "timeout_recursion" in prompt[0]["content"]


def test_an_unknown_category_twice_keeps_the_rule_category(
    model_provider: FakeModelProvider,
) -> None:
    model_provider.script(
        "gpt-4o-mini", json.dumps({"category": "cosmic_rays"}), json.dumps({"kind": "x"})
    )

    assert refine_category(_engine(model_provider), [FAILURE], Category.ASSERTION) is (
        Category.ASSERTION
    )
    assert len(model_provider.requests) == 2


def test_no_model_call_without_an_engine_or_when_the_exception_settles_it(
    model_provider: FakeModelProvider,
) -> None:
    assert refine_category(None, [FAILURE], Category.UNKNOWN) is Category.UNKNOWN
    assert refine_category(_engine(model_provider), [FAILURE], Category.SYNTAX) is Category.SYNTAX
    assert model_provider.requests == []

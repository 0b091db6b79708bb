"""The model engine through litellm against a respx-mocked OpenAI-compatible provider."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory, make_diff
from bot.repair.model_engine import ModelEngine, build_model_engine
from bot.repair.prompts import PROMPT_VERSION
from bot.repair.usage import Usage
from bot.settings import Settings
from tests.fixtures.model_provider import FakeModelProvider, rate_limited

PRIMARY, FALLBACK = "openai/gpt-4o-mini", "openai/gpt-4o"
SOURCE = '"""Sequence helpers."""\n\n\ndef last(items):\n    return items[len(items)]\n'
FIXED = SOURCE.replace("items[len(items)]", "items[len(items) - 1]")
ALTERNATIVE = SOURCE.replace("items[len(items)]", "items[-1]")
TEST_ID = "tests/test_seq.py::test_last"


def _good_answer() -> str:
    return json.dumps(
        {
            "patches": [
                {
                    "description": "Index the last element, not one past it.",
                    "edits": [
                        {
                            "path": "pkg/seq.py",
                            "search": "    return items[len(items)]\n",
                            "replace": "    return items[len(items) - 1]\n",
                        }
                    ],
                },
                {
                    "description": "Use a negative index.",
                    "diff": make_diff("pkg/seq.py", SOURCE, ALTERNATIVE),
                },
            ]
        }
    )


@pytest.fixture
def ctx(tmp_path: Path) -> RepairContext:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "seq.py").write_text(SOURCE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_seq.py").write_text(
        "from pkg.seq import last\n\n\ndef test_last():\n    assert last([1, 2]) == 2\n"
    )
    failure = Failure(
        TEST_ID,
        "IndexError",
        "list index out of range",
        frames=[
            Frame("tests/test_seq.py", 5, "test_last", "assert last([1, 2]) == 2"),
            Frame("pkg/seq.py", 5, "last", "return items[len(items)]"),
        ],
        category=Category.INDEX_KEY,
    )
    return RepairContext(
        tmp_path,
        [failure],
        "python -m pytest tests/test_seq.py",
        Category.INDEX_KEY,
        "sig",
        failing_tests=[TEST_ID],
        libraries={"pytest": "8.3"},
    )


def _engine(provider: FakeModelProvider, usage: Usage | None = None) -> ModelEngine:
    return ModelEngine(
        PRIMARY,
        FALLBACK,
        timeout=5,
        usage=usage,
        api_base=provider.api_base,
        api_key=provider.api_key,
    )


def _patched(diff: str) -> str:
    return apply_diff_in_memory({"pkg/seq.py": SOURCE}, diff)["pkg/seq.py"]


def test_good_json_becomes_candidates_with_applicable_diffs(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", _good_answer())
    usage = Usage()

    candidates = list(_engine(model_provider, usage).propose(ctx, limit=3))

    assert [_patched(c.diff) for c in candidates] == [FIXED, ALTERNATIVE]
    assert candidates[0].diff.startswith("--- a/pkg/seq.py\n+++ b/pkg/seq.py\n")
    assert candidates[0].description == "Index the last element, not one past it."
    assert {c.engine for c in candidates} == {"model"}
    assert candidates[0].meta == {"model": PRIMARY, "prompt_version": PROMPT_VERSION, "round": 1}
    assert (usage.tokens_in, usage.tokens_out, usage.calls) == (120, 40, 1)
    assert usage.cost_usd > 0  # gpt-4o-mini has a price in litellm's bundled table
    request = model_provider.requests[0]
    assert request["response_format"] == {"type": "json_object"}
    assert request["temperature"] <= 0.3
    assert model_provider.headers[0]["authorization"] == f"Bearer {model_provider.api_key}"


def test_the_prompt_carries_the_failing_test_traceback_and_code(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", _good_answer())
    list(_engine(model_provider).propose(ctx, limit=2))

    user = model_provider.requests[0]["messages"][-1]["content"]
    system = model_provider.requests[0]["messages"][0]["content"]
    assert TEST_ID in user
    assert "IndexError: list index out of range" in user
    assert 'File "pkg/seq.py", line 5, in last' in user
    assert "    5 |     return items[len(items)]" in user
    assert "    4 | def last(items):" in user
    assert "off-by-one" in user  # the index/key strategy
    assert "pytest 8.3" in user
    assert "up to 2 different fixes" in user
    assert '"patches"' in system and '"search"' in system


def test_invalid_json_is_retried_once_on_the_same_model(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", "Sure! Here is the fix: change the index.", _good_answer())

    candidates = list(_engine(model_provider).propose(ctx, limit=3))

    assert len(candidates) == 2
    assert model_provider.calls_to("gpt-4o") == []
    retry = model_provider.calls_to("gpt-4o-mini")[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "Sure! Here is the fix: change the index."}
    assert "not valid JSON" in retry[-1]["content"]


def test_invalid_output_twice_moves_to_the_fallback_model(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    wrong_search = json.dumps(
        {
            "patches": [
                {
                    "description": "x",
                    "edits": [
                        {
                            "path": "pkg/seq.py",
                            "search": "return items[0]",
                            "replace": "return items[-1]",
                        }
                    ],
                }
            ]
        }
    )
    model_provider.script("gpt-4o-mini", "not json", wrong_search)
    model_provider.script("gpt-4o", _good_answer())
    usage = Usage()

    candidates = list(_engine(model_provider, usage).propose(ctx, limit=3))

    assert [_patched(c.diff) for c in candidates] == [FIXED, ALTERNATIVE]
    assert {c.meta["model"] for c in candidates} == {FALLBACK}
    assert len(model_provider.calls_to("gpt-4o-mini")) == 2
    assert (
        "search text not found"
        in model_provider.calls_to("gpt-4o-mini")[1]["messages"][-1]["content"]
        or "not valid JSON" in model_provider.calls_to("gpt-4o-mini")[1]["messages"][-1]["content"]
    )
    assert usage.by_model[PRIMARY].failures == 2
    assert usage.by_model[FALLBACK].calls == 1


def test_timeouts_on_the_primary_move_to_the_fallback(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script(
        "gpt-4o-mini", httpx.ReadTimeout("timed out"), httpx.ReadTimeout("timed out")
    )
    model_provider.script("gpt-4o", _good_answer())

    candidates = list(_engine(model_provider).propose(ctx, limit=1))

    assert [_patched(c.diff) for c in candidates] == [FIXED]
    # Exactly two attempts: neither litellm nor the OpenAI SDK retries behind our back.
    assert len(model_provider.calls_to("gpt-4o-mini")) == 2


def test_rate_limits_on_the_primary_move_to_the_fallback(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", rate_limited(), rate_limited())
    model_provider.script("gpt-4o", _good_answer())

    candidates = list(_engine(model_provider).propose(ctx, limit=3))

    assert len(candidates) == 2
    assert len(model_provider.calls_to("gpt-4o-mini")) == 2


def test_a_rejected_key_skips_retrying_and_never_reaches_the_logs(
    model_provider: FakeModelProvider, ctx: RepairContext, caplog: pytest.LogCaptureFixture
) -> None:
    echo = f"Incorrect API key provided: {model_provider.api_key}"
    refused = httpx.Response(
        401, json={"error": {"message": echo, "type": "invalid_request_error"}}
    )
    model_provider.script("gpt-4o-mini", refused)
    model_provider.script("gpt-4o", refused)
    caplog.set_level(logging.DEBUG)

    engine = _engine(model_provider)
    assert list(engine.propose(ctx, limit=3)) == []

    assert len(model_provider.calls_to("gpt-4o-mini")) == 1
    assert len(model_provider.calls_to("gpt-4o")) == 1
    assert "AuthenticationError" in caplog.text
    assert model_provider.api_key not in caplog.text
    assert model_provider.api_key not in repr(engine)


def test_when_every_model_fails_there_are_no_candidates(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    server_error = httpx.Response(503, json={"error": {"message": "overloaded"}})
    model_provider.script("gpt-4o-mini", server_error, server_error)
    model_provider.script("gpt-4o", "[]", "{}")
    usage = Usage()

    assert list(_engine(model_provider, usage).propose(ctx, limit=3)) == []
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [2, 2]
    assert usage.by_model[PRIMARY].failures == 2
    assert usage.by_model[FALLBACK].failures == 2


def test_build_model_engine_follows_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("TRUTH_MODEL", "TRUTH_FALLBACK_MODEL", "TRUTH_MODEL_API_BASE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file
    usage = Usage()
    assert build_model_engine(Settings(state_dir=tmp_path), usage) is None
    engine = build_model_engine(
        Settings(
            state_dir=tmp_path,
            model=PRIMARY,
            fallback_model=FALLBACK,
            model_timeout_seconds=7,
        ),
        usage,
    )
    assert engine is not None
    assert (engine.model, engine.fallback_model, engine.timeout) == (PRIMARY, FALLBACK, 7)
    assert engine.usage is usage
    only_fallback = build_model_engine(
        Settings(state_dir=tmp_path, fallback_model=FALLBACK),
        usage,
    )
    assert only_fallback is not None and only_fallback.models == [FALLBACK]
    local = build_model_engine(
        Settings(
            state_dir=tmp_path,
            model="openai/llama3",
            model_api_base="http://localhost:11434/v1",
            model_api_key="sk-local-secret",  # type: ignore[arg-type]
        ),
        usage,
    )
    assert local is not None and local.api_base == "http://localhost:11434/v1"
    assert "sk-local-secret" not in repr(local)


def test_the_configured_key_and_base_reach_the_provider(
    model_provider: FakeModelProvider, ctx: RepairContext, tmp_path: Path
) -> None:
    settings = Settings(
        state_dir=tmp_path,
        model=PRIMARY,
        model_api_base=model_provider.api_base,
        model_api_key=model_provider.api_key,  # type: ignore[arg-type]
    )
    engine = build_model_engine(settings, Usage())
    assert engine is not None
    model_provider.script("gpt-4o-mini", _good_answer())
    assert len(list(engine.propose(ctx, limit=3))) == 2
    assert model_provider.headers[0]["authorization"] == f"Bearer {model_provider.api_key}"

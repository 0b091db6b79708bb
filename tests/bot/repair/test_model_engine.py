"""The model engine through litellm against a respx-mocked OpenAI-compatible provider."""

from __future__ import annotations

import gc
import io
import json
import logging
import time
from pathlib import Path

import httpx
import pytest

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory, make_diff
from bot.repair.model_engine import ModelEngine, ModelUnavailable, build_model_engine
from bot.repair.prompts import PROMPT_VERSION
from bot.repair.usage import Usage
from bot.settings import Settings
from runner.redact import RedactingFilter
from tests.fixtures.model_provider import (
    FakeModelProvider,
    bad_request,
    error_response,
    key_refused,
    overloaded,
    rate_limited,
)

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


def _engine(
    provider: FakeModelProvider,
    usage: Usage | None = None,
    fallback: str | None = FALLBACK,
    max_retry_wait: float = 0.0,
) -> ModelEngine:
    return ModelEngine(
        PRIMARY,
        fallback,
        timeout=5,
        usage=usage,
        api_base=provider.api_base,
        api_key=provider.api_key,
        retries=2,
        max_retry_wait=max_retry_wait,
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
    assert len(model_provider.requests) == 1
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
    assert "not valid JSON" in model_provider.calls_to("gpt-4o-mini")[1]["messages"][-1]["content"]
    # the fallback starts from the original question, not the primary's rejected answers
    fallback_messages = model_provider.calls_to("gpt-4o")[0]["messages"]
    assert fallback_messages == model_provider.calls_to("gpt-4o-mini")[0]["messages"]
    assert usage.by_model[PRIMARY].failures == 2
    assert usage.by_model[FALLBACK].calls == 1


def test_a_rate_limit_is_retried_by_the_router_and_the_primary_answers(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", rate_limited(), rate_limited(), _good_answer())
    usage = Usage()

    candidates = list(_engine(model_provider, usage).propose(ctx, limit=3))

    assert {c.meta["model"] for c in candidates} == {PRIMARY}
    # Exactly three requests: neither litellm nor the OpenAI SDK retries behind the Router.
    assert len(model_provider.calls_to("gpt-4o-mini")) == 3
    assert model_provider.calls_to("gpt-4o") == []
    assert (usage.by_model[PRIMARY].calls, usage.by_model[PRIMARY].failures) == (1, 2)


@pytest.mark.parametrize(
    "failure",
    [rate_limited(), httpx.ReadTimeout("timed out"), overloaded(), httpx.ConnectError("refused")],
    ids=["429", "timeout", "503", "connection"],
)
def test_a_primary_that_keeps_failing_is_retried_then_the_fallback_answers(
    model_provider: FakeModelProvider, ctx: RepairContext, failure: httpx.Response | Exception
) -> None:
    model_provider.script("gpt-4o-mini", failure, failure, failure)
    model_provider.script("gpt-4o", _good_answer())
    usage = Usage()

    candidates = list(_engine(model_provider, usage).propose(ctx, limit=3))

    assert [_patched(c.diff) for c in candidates] == [FIXED, ALTERNATIVE]
    assert {c.meta["model"] for c in candidates} == {FALLBACK}
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [3, 1]
    primary, fallback = usage.by_model[PRIMARY], usage.by_model[FALLBACK]
    assert (primary.calls, primary.failures, primary.tokens_in) == (0, 3, 0)
    assert (fallback.calls, fallback.failures, fallback.tokens_in, fallback.tokens_out) == (
        1,
        0,
        120,
        40,
    )
    assert fallback.cost_usd > 0  # priced as gpt-4o, the model that answered


@pytest.mark.parametrize(
    "refusal",
    [
        key_refused("sk-wrong-key-0123456789abcdef"),
        bad_request(),
        error_response(403, "Country not supported", "permission_denied"),
    ],
    ids=["401", "400", "403"],
)
def test_an_error_retrying_cannot_fix_goes_straight_to_the_fallback(
    model_provider: FakeModelProvider, ctx: RepairContext, refusal: httpx.Response
) -> None:
    model_provider.script("gpt-4o-mini", refusal, refusal)
    model_provider.script("gpt-4o", _good_answer())

    candidates = list(_engine(model_provider).propose(ctx, limit=3))

    assert {c.meta["model"] for c in candidates} == {FALLBACK}
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [1, 1]


def test_an_unusable_answer_after_a_fallback_is_corrected_on_the_fallback(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", rate_limited(), rate_limited(), rate_limited())
    model_provider.script("gpt-4o", "Here you go: change the index.", _good_answer())
    usage = Usage()

    candidates = list(_engine(model_provider, usage).propose(ctx, limit=3))

    assert {c.meta["model"] for c in candidates} == {FALLBACK}
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [3, 2]
    assert "not valid JSON" in model_provider.calls_to("gpt-4o")[1]["messages"][-1]["content"]
    assert (usage.by_model[FALLBACK].calls, usage.by_model[FALLBACK].failures) == (2, 1)


def test_when_both_models_are_down_the_error_says_what_failed_and_what_to_check(
    model_provider: FakeModelProvider,
) -> None:
    model_provider.script("gpt-4o-mini", key_refused(model_provider.api_key))
    model_provider.script("gpt-4o", overloaded(), overloaded(), overloaded())
    engine = _engine(model_provider)

    with pytest.raises(ModelUnavailable) as raised:
        engine.ask_json([{"role": "user", "content": "Reply with {}"}], lambda answer: answer)

    message = str(raised.value)
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [1, 3]
    assert f"{PRIMARY}: AuthenticationError: Incorrect API key provided" in message
    assert f"{FALLBACK}: ServiceUnavailableError: The server is overloaded (x3)" in message
    assert "TRUTH_MODEL_API_KEY" in message and "TRUTH_MODEL_API_BASE" in message
    assert model_provider.api_key not in message


def test_without_a_fallback_the_retries_are_all_there_is(
    model_provider: FakeModelProvider,
) -> None:
    timeout = httpx.ReadTimeout("timed out")
    model_provider.script("gpt-4o-mini", timeout, timeout, timeout, _good_answer())
    usage = Usage()
    engine = _engine(model_provider, usage, fallback=None)

    with pytest.raises(ModelUnavailable, match=r"Timeout: .*\(x3\)"):
        engine.ask_json([{"role": "user", "content": "Reply with {}"}], lambda answer: answer)

    assert len(model_provider.requests) == 3
    assert usage.by_model[PRIMARY].failures == 3


def test_a_long_retry_after_is_honoured_only_up_to_the_cap(
    model_provider: FakeModelProvider,
) -> None:
    model_provider.script("gpt-4o-mini", rate_limited(retry_after="30"), _good_answer())
    engine = _engine(model_provider, max_retry_wait=0.3)

    started = time.monotonic()
    answer = engine.ask_json([{"role": "user", "content": "Reply with {}"}], lambda a: a)
    waited = time.monotonic() - started

    assert answer.model == PRIMARY
    assert len(model_provider.requests) == 2
    assert 0.3 <= waited < 5  # the provider asked for 30 seconds


def test_a_rejected_key_never_reaches_the_logs_or_the_engine_repr(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    refused = key_refused(model_provider.api_key)
    model_provider.script("gpt-4o-mini", refused)
    model_provider.script("gpt-4o", refused)
    # What the service writes: everything through the root handler, which redacts.
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        engine = _engine(model_provider)
        assert list(engine.propose(ctx, limit=3)) == []
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

    assert "AuthenticationError" in written.getvalue()
    assert model_provider.api_key not in written.getvalue()
    assert model_provider.api_key not in repr(engine)


def test_when_every_model_fails_there_are_no_candidates(
    model_provider: FakeModelProvider, ctx: RepairContext
) -> None:
    model_provider.script("gpt-4o-mini", overloaded(), overloaded(), overloaded())
    model_provider.script("gpt-4o", "[]", "{}")
    usage = Usage()

    assert list(_engine(model_provider, usage).propose(ctx, limit=3)) == []
    assert [len(model_provider.calls_to(m)) for m in ("gpt-4o-mini", "gpt-4o")] == [3, 2]
    assert usage.by_model[PRIMARY].failures == 3
    assert usage.by_model[FALLBACK].failures == 2


def test_a_finished_engine_unhooks_its_router_from_litellm(
    model_provider: FakeModelProvider,
) -> None:
    import litellm

    gc.collect()  # engines of earlier tests
    before = len(litellm.success_callback)
    engine = _engine(model_provider)
    model_provider.script("gpt-4o-mini", "{}")
    engine.ask_json([{"role": "user", "content": "Reply with {}"}], lambda answer: answer)
    # Each Router adds itself to litellm's global callback lists (at most 30 fit)...
    assert len(litellm.success_callback) == before + 1

    del engine
    gc.collect()

    assert len(litellm.success_callback) == before  # ...and a finished session's must go


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

"""The judge: built-in scores from real histories, and a model judge behind a mocked endpoint."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from bot.traces.judge import (
    BUILTIN_MODEL,
    JudgeError,
    builtin_judge,
    judge_trace,
    parse_model_scores,
    weighted_overall,
)
from bot.traces.local_source import reconstruct_local

MODEL_SCORES = {
    "problem_understanding": 4, "causal_linking": 5, "experiment_design": 3,
    "efficiency": 2, "reproducibility": 4, "safety_hygiene": 5,
}  # fmt: skip


def test_good_history_scores_higher_than_sloppy_on_every_process_dimension(good_repo, sloppy_repo):
    good_path, good = good_repo
    sloppy_path, sloppy = sloppy_repo
    good_verdict = builtin_judge(reconstruct_local(good_path, good["base"], good["more_tests"]))
    sloppy_verdict = builtin_judge(reconstruct_local(sloppy_path, sloppy["base"], sloppy["d"]))
    g, s = good_verdict.scores, sloppy_verdict.scores
    assert g.overall > s.overall + 1.0
    assert g.problem_understanding > s.problem_understanding
    assert g.experiment_design > s.experiment_design
    assert g.efficiency > s.efficiency
    assert g.safety_hygiene > s.safety_hygiene
    assert good_verdict.model == BUILTIN_MODEL
    assert "Built-in deterministic judge (no model configured)" in good_verdict.feedback_summary
    assert "Failure was reproduced before the fix" in good_verdict.feedback_summary
    assert "test file(s) deleted" in sloppy_verdict.feedback_summary
    assert builtin_judge(reconstruct_local(good_path, good["base"], good["more_tests"])).scores == g


def test_overall_is_the_seed_weighted_mean():
    assert weighted_overall(MODEL_SCORES) == round(
        (4 * 20 + 5 * 25 + 3 * 20 + 2 * 15 + 4 * 10 + 5 * 10) / 100, 2
    )


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("not json", "not JSON"),
        (json.dumps({**MODEL_SCORES, "efficiency": 7, "feedback_summary": "x"}), "efficiency"),
        (json.dumps(MODEL_SCORES), "feedback_summary"),
        (json.dumps([1, 2]), "JSON object"),
    ],
)
def test_unusable_model_answers_are_rejected(answer, problem):
    with pytest.raises(JudgeError, match=problem):
        parse_model_scores(answer)


def _completion(content: str) -> dict[str, object]:
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "x",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }  # fmt: skip


@respx.mock
def test_model_judge_sends_rubric_at_temperature_0_2_and_keeps_our_weighting(
    good_repo, monkeypatch
):
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    answer = {**MODEL_SCORES, "overall": 0.1, "feedback_summary": "Clear red-green cycle."}
    route = respx.post("http://model.test/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(answer)))
    )
    repo, shas = good_repo
    trace = reconstruct_local(repo, shas["base"], shas["fix"])
    verdict = judge_trace(trace, model="openai/x", api_base="http://model.test/v1")
    assert verdict.model == "openai/x" and verdict.prompt_version == "judge-v1"
    assert verdict.scores.causal_linking == 5
    assert verdict.scores.overall == weighted_overall(MODEL_SCORES) != 0.1
    assert verdict.feedback_summary == "Clear red-green cycle."
    sent = json.loads(route.calls.last.request.content)
    assert sent["temperature"] == 0.2 and sent["response_format"] == {"type": "json_object"}
    assert "causal_linking (25%)" in sent["messages"][0]["content"]
    assert "stats/core.py" in sent["messages"][1]["content"]


@respx.mock
def test_model_failure_falls_back_to_the_builtin_judge_and_says_why(good_repo, monkeypatch):
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    respx.post("http://model.test/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=_completion("I think it is fine"))
    )
    repo, shas = good_repo
    verdict = judge_trace(
        reconstruct_local(repo, shas["base"], shas["fix"]),
        model="openai/x", api_base="http://model.test/v1",
    )  # fmt: skip
    assert verdict.model == BUILTIN_MODEL
    assert verdict.feedback_summary.startswith("Built-in deterministic judge.")
    assert "Model judge unavailable (openai/x: JudgeError" in verdict.feedback_summary

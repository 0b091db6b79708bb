"""Rule-based structuring of commit messages and review comments, and the model path."""

from __future__ import annotations

import json

import httpx
import respx

from bot.traces.rationale import structure, structure_by_rules


def test_labels_anywhere_win_over_keyword_rules():
    note = structure_by_rules(
        "Guard against empty input\n\nSymptom: median([]) raises IndexError.\n"
        "Cause: nothing checks the length. Next: document the ValueError."
    )
    assert note.decision == "Guard against empty input"
    assert note.observation == "median([]) raises IndexError."
    assert note.hypothesis == "nothing checks the length."
    assert note.next_step == "document the ValueError."
    assert note.plan is None


def test_keyword_rules_sort_unlabelled_sentences():
    note = structure_by_rules(
        "Try caching the parser\n\nThe test fails with a timeout. It is probably the regex "
        "compile in the loop.\n\nSigned-off-by: Ada <ada@example.com>"
    )
    assert note.plan == "Try caching the parser"
    assert note.observation == "The test fails with a timeout."
    assert note.hypothesis == "It is probably the regex compile in the loop."
    assert "Signed-off-by" not in json.dumps(note.model_dump())


@respx.mock
def test_a_configured_model_structures_and_bad_answers_fall_back_to_rules(monkeypatch):
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    model_note = {"plan": None, "hypothesis": "off by one", "observation": None,
                  "decision": "use len-1", "next_step": None}  # fmt: skip
    answers = iter([json.dumps(model_note), "not json"])

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={
            "id": "c", "object": "chat.completion", "created": 1, "model": "x",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": next(answers)}}],
        })  # fmt: skip

    respx.post("http://model.test/v1/chat/completions").mock(side_effect=reply)
    note, by = structure("Fix bound", model="openai/x", api_base="http://model.test/v1")
    assert by == "openai/x" and note.hypothesis == "off by one" and note.decision == "use len-1"
    note, by = structure("Fix bound", model="openai/x", api_base="http://model.test/v1")
    assert by == "rules" and note.decision == "Fix bound"

"""The published schema file is exactly what the models export, and its hash is the schema_hash."""

from __future__ import annotations

import hashlib

import jsonschema
import pytest
from pydantic import ValidationError

from bot.traces.schema import SCHEMA_FILE, Trace, schema_hash, schema_text


def test_committed_schema_file_matches_the_models():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schemas/trace-v1.schema.json is stale; regenerate it with "
        "`.venv/bin/python -c 'from bot.traces.schema import write_schema; write_schema()'`"
    )
    assert schema_hash() == hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()


def test_a_sealed_trace_validates_against_the_published_schema(good_repo, trace_settings):
    from bot.traces.local_source import reconstruct_local
    from bot.traces.service import judge_and_seal

    repo, shas = good_repo
    sealed = judge_and_seal(
        reconstruct_local(repo, shas["base"], shas["fix"]), trace_settings, None
    )
    import json

    jsonschema.validate(json.loads(sealed.model_dump_json()), json.loads(SCHEMA_FILE.read_text()))
    assert sealed.integrity is not None and sealed.integrity.schema_hash == schema_hash()


def test_events_are_a_discriminated_union_and_unknown_fields_are_rejected():
    base = {"session": {"consent": True}, "repo": {"name": "r"}}
    event = {
        "seq": 0,
        "ts_client": 1.0,
        "ts_server": 2.0,
        "type": "cmd_run",
        "cmd": "make",
        "exit_code": 0,
    }
    trace = Trace.model_validate({**base, "events": [event]})
    assert type(trace.events[0]).__name__ == "CmdRun"
    with pytest.raises(ValidationError, match="type"):
        Trace.model_validate({**base, "events": [{**event, "type": "keystroke"}]})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Trace.model_validate({**base, "events": [{**event, "surprise": 1}]})
    with pytest.raises(ValidationError, match="consent"):
        Trace.model_validate({"session": {}, "repo": {"name": "r"}})

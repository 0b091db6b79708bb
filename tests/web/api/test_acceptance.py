"""The seed's acceptance test: submit the example trace, fetch it with tests_passed true,
judge scores present and every event captured; the snapshot validated in a real sandbox."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.settings import Settings
from bot.traces.integrity import verify_document
from bot.traces.signing import parse_public_key
from bot.traces.tokens import mint_token
from web.api import routes

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "traces"


def _submit_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_submit", EXAMPLES / "submit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
async def test_example_submission_is_validated_judged_and_complete(
    tmp_path: Path, db_engine: Engine, sandbox_image: str
):
    settings = Settings(  # type: ignore[call-arg]
        state_dir=tmp_path / "state", trace_secret="acceptance", sandbox_image=sandbox_image
    )
    app = Starlette(routes=routes(settings, engine=db_engine))
    token = mint_token(db_engine, 7)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as client:
        trace = await _submit_module().submit(client, token)
        keys = (await client.get("/v1/keys")).json()["keys"]

    example_events = json.loads((EXAMPLES / "example-trace.json").read_text())["events"]
    assert trace["qa"]["validation"]["tests_passed"] is True
    assert trace["qa"]["validation"]["num_passed"] == 3
    assert trace["qa"]["validation"]["runtime_s"] > 0
    scores = trace["qa"]["judge"]["scores"]
    assert set(scores) == {
        "problem_understanding", "causal_linking", "experiment_design", "efficiency",
        "reproducibility", "safety_hygiene", "overall",
    }  # fmt: skip
    assert all(0 <= v <= 5 for v in scores.values())
    assert len(trace["events"]) == len(example_events) == 14
    assert [e["type"] for e in trace["events"]] == [e["type"] for e in example_events]
    assert trace["repo"]["snapshot"]["sha256"]
    assert verify_document(trace, public_key=parse_public_key(keys[0]["public_key"])).ok

"""The OpenAPI description matches the answers: schemathesis generates requests for every
operation from /openapi.json and checks each answer's status, headers, content type and body
against it; a bounded run on SQLite and PostgreSQL, no failure allowed. Also: /docs renders
that description with Swagger UI assets served by this app, never a CDN."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.settings import Settings
from bot.traces.tokens import mint_token
from tests.web.api.conftest import CHUNK_LIMIT, INSTALLATION
from web.api import routes

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def api_app(tmp_path: Path, db_engine: Engine) -> Starlette:
    settings = Settings(state_dir=tmp_path / "state", trace_secret="api-secret")  # type: ignore[arg-type]
    return Starlette(routes=routes(settings, engine=db_engine, max_chunk_bytes=CHUNK_LIMIT))


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
def test_every_answer_matches_the_openapi_description(
    api_app: Starlette, db_engine: Engine, mode: GenerationMode
) -> None:
    """Positive: schema-valid requests are served as documented. Negative: requests that break
    the schema are refused with a documented 4xx, never a 5xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_app)
    auth = {"Authorization": f"Bearer {mint_token(db_engine, INSTALLATION)}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,  # seeded: the same requests on every run
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def answers_conform(case: schemathesis.Case) -> None:
            # One rule JSON Schema cannot state (the description does): since <= until.
            query = case.query or {}
            if mode is GenerationMode.POSITIVE and "since" in query and "until" in query:
                assume(str(query["since"]) <= str(query["until"]))
            case.call_and_validate(headers=auth)

        try:
            answers_conform()
        except Unsatisfiable:
            # An operation without parameters or body (GET /v1/keys) has nothing to break.
            assert mode is GenerationMode.NEGATIVE, operation.label
            continue
        # Schemathesis raises its failures as a BaseExceptionGroup; collect every operation's.
        except (AssertionError, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {exc}: {getattr(exc, 'exceptions', '')}")
    assert failures == [], "\n\n".join(failures)


async def test_docs_page_uses_local_swagger_ui_assets(api_app: Starlette) -> None:
    transport = httpx.ASGITransport(app=api_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        page = await client.get("/docs")
        bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
        css = await client.get("/docs/assets/swagger-ui.css")
        described = await client.get("/openapi.json")

    assert page.status_code == 200 and 'url: "/openapi.json"' in page.text
    assert "https://" not in page.text and "//cdn" not in page.text  # nothing from elsewhere
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert "OAS31" in bundle.text  # Swagger UI 5: renders OpenAPI 3.1 documents
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert described.json()["openapi"].startswith("3.1")

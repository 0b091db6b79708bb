"""JSON log lines carry the delivery, job and session ids and never a secret."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest

from bot.service.logs import JsonFormatter, configure_logging, log_context
from runner.redact import forget_registered_secrets, register_secrets


@pytest.fixture
def lines():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    handler = configure_logging("json")
    handler.setStream(stream)
    forget_registered_secrets()
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    forget_registered_secrets()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


async def test_ids_from_nested_contexts_and_tasks_reach_each_line(lines) -> None:
    log = logging.getLogger("truth.test")
    with log_context(delivery_id="d-1"):
        log.info("received")
        with log_context(job_id="j-9", session_id=17):

            async def in_task() -> None:
                log.info("in a task")

            await asyncio.create_task(in_task())
        log.info("answered")
    log.info("outside")
    got = lines()
    assert [line["message"] for line in got] == ["received", "in a task", "answered", "outside"]
    assert got[0]["delivery_id"] == "d-1" and "job_id" not in got[0]
    assert (got[1]["delivery_id"], got[1]["job_id"], got[1]["session_id"]) == ("d-1", "j-9", "17")
    assert "job_id" not in got[2] and "delivery_id" not in got[3]
    assert got[0]["level"] == "info" and got[0]["logger"] == "truth.test"


def test_secrets_are_masked_in_messages_and_tracebacks(lines) -> None:
    register_secrets(["configured-webhook-secret"])
    log = logging.getLogger("truth.test")
    log.warning("bad signature with %s", "configured-webhook-secret")
    try:
        raise ValueError("DATABASE_PASSWORD=hunter2hunter2")
    except ValueError:
        log.exception("failed")
    got = lines()
    assert got[0]["message"] == "bad signature with [REDACTED]"
    assert "hunter2hunter2" not in got[1]["exception"]
    assert "DATABASE_PASSWORD=[REDACTED]" in got[1]["exception"]


def test_a_line_is_one_json_object_even_with_newlines_in_the_message() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "two\nlines", None, None)
    text = JsonFormatter().format(record)
    assert "\n" not in text and json.loads(text)["message"] == "two\nlines"

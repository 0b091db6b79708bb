"""The model repair engine: asks a model for fixes through a litellm Router, with a fallback."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from bot.repair.base import CandidatePatch, RepairContext
from bot.repair.conversation import Conversation, ConversationBudget, feedback_message, judged
from bot.repair.model_output import InvalidModelOutput, extract_json_object, fixes_from_answer
from bot.repair.model_router import (
    DEFAULT_MAX_RETRY_WAIT_SECONDS,
    DEFAULT_RETRIES,
    Attempt,
    ModelRouter,
    load_litellm,
)
from bot.repair.prompts import PROMPT_VERSION, Message, build_repair_messages
from bot.repair.usage import Usage
from bot.service.metrics import worker_metrics
from runner.redact import redact, register_secrets

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
# Answers one model may give that we cannot use before the next model is asked; transport
# errors are the Router's to retry.
ANSWERS_PER_MODEL = 2
MAX_SOURCE_BYTES = 512 * 1024


class ModelUnavailable(RuntimeError):
    """Neither the primary nor the fallback model gave a usable answer."""


@dataclass(frozen=True)
class ModelAnswer:
    model: str
    value: Any


class ModelEngine:
    """Primary model first, through one litellm Router per engine (so per session): it retries
    rate limits, timeouts and outages and falls back once they persist; an answer we cannot
    use is sent back once with what was wrong, and the fallback is asked after the second."""

    name = "model"

    def __init__(
        self,
        model: str,
        fallback_model: str | None = None,
        timeout: float = 60.0,
        usage: Usage | None = None,
        api_base: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.2,
        budget: ConversationBudget | None = None,
        retries: int = DEFAULT_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT_SECONDS,
    ) -> None:
        self.model = model
        self.fallback_model = fallback_model if fallback_model != model else None
        self.timeout = timeout
        self.usage = usage if usage is not None else Usage()
        self.api_base = api_base
        self._api_key = api_key
        register_secrets([api_key])  # masked wherever redaction runs in this process
        self.temperature = temperature
        self.budget = budget or ConversationBudget()
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self._conversation: Conversation | None = None  # one engine per session
        self._router: ModelRouter | None = None

    def __repr__(self) -> str:  # never show the key
        return f"ModelEngine(model={self.model!r}, fallback_model={self.fallback_model!r})"

    @property
    def models(self) -> list[str]:
        return [m for m in (self.model, self.fallback_model) if m]

    def propose(self, ctx: RepairContext, limit: int) -> Iterator[CandidatePatch]:
        """The first round: ask once and yield the fixes (the conversation starts here)."""
        if limit <= 0:
            return
        messages = build_repair_messages(
            ctx.failures,
            read_sources(ctx),
            category=ctx.category,
            failing_tests=ctx.failing_tests,
            libraries=ctx.libraries,
            test_command=ctx.test_command,
            limit=limit,
        )
        self._conversation = Conversation(messages)
        yield from self._round(ctx, limit)

    def follow_up(self, ctx: RepairContext, limit: int) -> list[CandidatePatch]:
        """The next round, once the pipeline has judged every fix of the last one (in
        `ctx.feedback`) and none was verified: the model is told what the tests said and asked
        again, within the conversation budget. [] when there is nothing (more) to ask."""
        conversation = self._conversation
        if conversation is None or limit <= 0 or not conversation.last_diffs:
            return []
        results = judged(ctx, conversation.last_diffs)
        stop = self.budget.allows_another_round(conversation.rounds, self.usage)
        if len(results) < len(conversation.last_diffs) or stop:
            if stop:
                log.info("model conversation ends: %s", stop)
            return []
        if any(r.status == "verified" for r in results):
            return []
        conversation.messages += [
            {"role": "assistant", "content": conversation.last_answer[:8000]},
            feedback_message(results),
        ]
        return list(self._round(ctx, limit))

    def _round(self, ctx: RepairContext, limit: int) -> Iterator[CandidatePatch]:
        conversation = self._conversation
        assert conversation is not None
        conversation.last_diffs = []

        def parse(answer: dict[str, Any]) -> Any:
            fixes = fixes_from_answer(answer, _reader(ctx), ctx.protected_paths, limit)
            conversation.last_answer = json.dumps(answer)
            return fixes

        try:
            result = self.ask_json(conversation.messages, parse)
        except ModelUnavailable as exc:
            log.warning("model engine gave no candidates: %s", exc)
            return
        conversation.rounds += 1
        for fix in result.value:
            if fix.diff in conversation.proposed:
                continue  # a fix the model repeats was judged already
            conversation.proposed.add(fix.diff)
            conversation.last_diffs.append(fix.diff)
            yield CandidatePatch(
                engine=self.name,
                diff=fix.diff,
                description=fix.description,
                meta={
                    "model": result.model,
                    "prompt_version": PROMPT_VERSION,
                    "round": conversation.rounds,
                },
            )

    def ask_json(
        self, messages: list[Message], parse: Callable[[dict[str, Any]], T]
    ) -> ModelAnswer:
        """The first answer `parse` accepts, from the primary model or its fallback; raises
        ModelUnavailable with what failed."""
        reasons: list[str] = []
        unusable: Counter[str] = Counter()
        conversation = list(messages)
        model: str | None = self.models[0] if self.models else None
        while model is not None:
            answer = self._account(self.router.complete(model, conversation), reasons)
            if answer is None:
                break  # the Router has spent its retries and fallbacks
            content = ""
            try:
                content = _content(answer.response)
                return ModelAnswer(answer.model, parse(extract_json_object(content)))
            except InvalidModelOutput as exc:
                self.usage.record_failure(answer.model)
                log.warning("model %s gave an unusable answer: %s", answer.model, exc)
                reasons.append(f"{answer.model}: unusable answer: {exc}")
                unusable[answer.model] += 1
                if unusable[answer.model] < ANSWERS_PER_MODEL:
                    # Telling the model what was wrong makes the retry far more likely to work.
                    model, conversation = answer.model, _corrected(messages, content, exc)
                else:
                    model, conversation = self._next_model(answer.model), list(messages)
        raise ModelUnavailable(_unavailable_message(reasons))

    @property
    def router(self) -> ModelRouter:
        if self._router is None:
            self._router = ModelRouter(
                self.models,
                self._deployment_params,
                timeout=self.timeout,
                retries=self.retries,
                max_retry_wait=self.max_retry_wait,
            )
        return self._router

    def _deployment_params(self, model: str) -> dict[str, Any]:
        params: dict[str, Any] = {
            "temperature": self.temperature,
            "timeout": self.timeout,
            # The OpenAI SDK must not retry behind the Router's back. litellm forces this for
            # Router calls today; saying it here keeps it so across litellm upgrades.
            "max_retries": 0,
            "drop_params": True,
        }
        if self.api_base:
            params["api_base"] = self.api_base
        if self._api_key:
            params["api_key"] = self._api_key
        if _supports_json_mode(load_litellm(), model):
            params["response_format"] = {"type": "json_object"}
        return params

    def _next_model(self, model: str) -> str | None:
        later = self.models[self.models.index(model) + 1 :]
        return later[0] if later else None

    def _account(self, attempts: list[Attempt], reasons: list[str]) -> Attempt | None:
        """Usage and failures under the model that made each attempt; the answer, if any."""
        for attempt in attempts:
            if attempt.error is None:
                self._record_usage(attempt.model, attempt.response)
                continue
            self.usage.record_failure(attempt.model)
            reason = f"{type(attempt.error).__name__}: {self._redact(attempt.detail)[:200]}"
            log.warning("model %s failed: %s", attempt.model, reason)
            reasons.append(f"{attempt.model}: {reason}")
        last = attempts[-1] if attempts else None
        return last if last is not None and last.error is None else None

    def _record_usage(self, model: str, response: Any) -> None:
        usage = getattr(response, "usage", None)
        tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
        try:
            cost = float(load_litellm().completion_cost(completion_response=response) or 0.0)
        except Exception:  # unknown prices (self-hosted models) cost nothing we can know
            cost = 0.0
        self.usage.record(model, tokens_in, tokens_out, cost)
        worker_metrics().model_usage(model, tokens_in, tokens_out, cost)

    def _redact(self, text: str) -> str:
        return redact(text)


def _content(response: Any) -> str:
    content = response.choices[0].message.content
    if not isinstance(content, str) or not content.strip():
        raise InvalidModelOutput("the answer was empty")
    return content


def _corrected(messages: list[Message], content: str, error: InvalidModelOutput) -> list[Message]:
    return [
        *messages,
        {"role": "assistant", "content": content[:4000] or "(empty)"},
        {
            "role": "user",
            "content": f"That answer was rejected: {error}. "
            "Reply again with only the JSON object in the required shape.",
        },
    ]


def _unavailable_message(reasons: list[str]) -> str:
    if not reasons:
        return "no model is configured: set TRUTH_MODEL"
    # The Router's retries repeat one reason; say it once with a count.
    failures = "; ".join(
        reason if count == 1 else f"{reason} (x{count})"
        for reason, count in ((reason, len(list(group))) for reason, group in groupby(reasons))
    )
    return (
        f"no model gave a usable answer ({failures}). Check the model names (TRUTH_MODEL, "
        "TRUTH_FALLBACK_MODEL), the key (TRUTH_MODEL_API_KEY) and the endpoint "
        "(TRUTH_MODEL_API_BASE); if the provider is rate limiting or down, try again later."
    )


def _supports_json_mode(litellm: Any, model: str) -> bool:
    try:
        params = litellm.get_supported_openai_params(model=model) or []
    except Exception:  # unknown models: plain text, the prompt still asks for JSON
        return False
    return "response_format" in params


def read_sources(ctx: RepairContext) -> dict[str, str]:
    """The text of every in-repository file the tracebacks name (bounded, text only)."""
    sources: dict[str, str] = {}
    for failure in ctx.failures:
        for frame in failure.repo_frames:
            if frame.file in sources:
                continue
            text = _reader(ctx)(frame.file)
            if text is not None:
                sources[frame.file] = text
    return sources


def _reader(ctx: RepairContext) -> Callable[[str], str | None]:
    root = ctx.repo_root.resolve()

    def read(relative: str) -> str | None:
        if PurePosixPath(relative).is_absolute():
            return None
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        if path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return read


def build_model_engine(settings: Settings, usage: Usage) -> ModelEngine | None:
    """The configured model engine, or None when no model is set (the engine is skipped)."""
    primary = settings.model or settings.fallback_model
    if not primary:
        return None
    fallback = settings.fallback_model if settings.model else None
    return ModelEngine(
        primary,
        fallback if fallback != primary else None,
        timeout=settings.model_timeout_seconds,
        usage=usage,
        api_base=settings.model_api_base,
        api_key=settings.model_api_key.get_secret_value() if settings.model_api_key else None,
        budget=ConversationBudget(
            settings.model_rounds, settings.model_session_tokens, settings.model_session_cost_usd
        ),
    )

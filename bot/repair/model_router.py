"""One session's litellm Router: the primary model, its fallback, bounded retries, every attempt."""

from __future__ import annotations

import functools
import os
import re
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.repair.prompts import Message

_LITELLM_PREFIX = re.compile(r"^litellm\.\w+:\s*(?:\w+:\s*)?(?:\w+ - )?")
DEFAULT_RETRIES = 2
DEFAULT_MAX_RETRY_WAIT_SECONDS = 10.0


def load_litellm() -> Any:
    # litellm downloads its price list at import unless told to use the bundled copy; the
    # sandbox hosts and tests have no internet, and the bundled copy is enough for costs.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return litellm


@dataclass(frozen=True)
class Attempt:
    """One request the Router sent: `response` when the model answered, else the `error`."""

    model: str
    response: Any = None
    error: Exception | None = None
    # The error's own words as it was raised: the Router appends its retry and fallback
    # story to the same exception object later.
    detail: str = ""

    @classmethod
    def failed(cls, model: str, error: Exception) -> Attempt:
        return cls(model, error=error, detail=_first_line(error))


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    # "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached" says
    # the type three times; keep what the provider said.
    return _LITELLM_PREFIX.sub("", lines[0] if lines else "")


class ModelRouter:
    """A litellm Router over one deployment per model: the first model falls back to the
    others once its retries are spent. Rate limits, timeouts, connection errors and 5xx are
    retried `retries` times; auth and bad-request errors go straight to the fallback."""

    def __init__(
        self,
        models: Sequence[str],
        deployment_params: Callable[[str], dict[str, Any]],
        *,
        timeout: float,
        retries: int = DEFAULT_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT_SECONDS,
    ) -> None:
        load_litellm()
        import openai  # litellm's exceptions subclass the OpenAI SDK's
        from litellm.types.router import RetryPolicy

        self._attempts: list[Attempt] = []
        self._lock = threading.Lock()
        primary, *fallbacks = models
        self._router = _session_router_class()(
            # One deployment per model, named after it: attempts report the model by that name.
            model_list=[_deployment(model, deployment_params(model)) for model in models],
            fallbacks=[{primary: fallbacks}] if fallbacks else [],
            num_retries=retries,
            retry_policy=RetryPolicy(
                RateLimitErrorRetries=retries,
                TimeoutErrorRetries=retries,
                InternalServerErrorRetries=retries,  # connection errors land here too
                ServiceUnavailableErrorRetries=retries,
                AuthenticationErrorRetries=0,
                BadRequestErrorRetries=0,
                NotFoundErrorRetries=0,
                ContentPolicyViolationErrorRetries=0,
                # Other errors (a 502 from a gateway) follow the Router's status-code rule.
            ),
            timeout=timeout,
            # Cooldowns balance load between deployments of one model; each model here has
            # one, and a cooled-down deployment would refuse even the fallback's requests.
            disable_cooldowns=True,
            on_attempt=self._attempts.append,
            max_retry_wait=max_retry_wait,
        )
        # Every Router hooks itself into litellm's global callback lists (capped at 30):
        # unhook it when the session's engine is gone.
        weakref.finalize(self, self._router.discard)
        self._api_error: type[Exception] = openai.APIError

    def complete(self, model: str, messages: list[Message]) -> list[Attempt]:
        """Ask `model` (and its fallbacks, after its retries); every attempt in order. The
        last one holds the answer, or every attempt failed."""
        with self._lock:
            self._attempts.clear()
            try:
                self._router.completion(model=model, messages=messages)
            except self._api_error as exc:
                if not any(attempt.error is exc for attempt in self._attempts):
                    self._attempts.append(Attempt.failed(model, exc))
            return list(self._attempts)


def _deployment(model: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"model_name": model, "litellm_params": {**params, "model": model}}


@functools.cache
def _session_router_class() -> type:
    litellm = load_litellm()

    class SessionRouter(litellm.Router):  # type: ignore[misc,name-defined]
        """The Router with a report of every attempt and a cap on the wait between them."""

        def __init__(
            self, *, on_attempt: Callable[[Attempt], None], max_retry_wait: float, **kwargs: Any
        ) -> None:
            super().__init__(**kwargs)
            self._on_attempt = on_attempt
            self._max_retry_wait = max_retry_wait

        def _completion(self, model: str, messages: list[Message], **kwargs: Any) -> Any:
            # Called once per request to one model group, retries and fallbacks included.
            try:
                response = super()._completion(model, messages, **kwargs)
            except Exception as exc:
                self._on_attempt(Attempt.failed(model, exc))
                raise
            self._on_attempt(Attempt(model, response=response))
            return response

        def _time_to_sleep_before_retry(
            self, e: Exception, remaining_retries: int, *args: Any, **kwargs: Any
        ) -> float:
            if remaining_retries <= 0:
                return 0.0  # the last try failed: the fallback is next, nothing to wait for
            # A provider's Retry-After (or litellm's backoff) counts, up to our cap.
            wait = super()._time_to_sleep_before_retry(e, remaining_retries, *args, **kwargs)
            return float(min(wait, self._max_retry_wait))

        def should_retry_this_error(self, error: Exception, *args: Any, **kwargs: Any) -> Any:
            # litellm maps some 403s to a plain APIError, which its status-code rule retries.
            if getattr(error, "status_code", None) in (401, 403):
                raise error
            return super().should_retry_this_error(error, *args, **kwargs)

    return SessionRouter

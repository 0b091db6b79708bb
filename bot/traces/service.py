"""The last steps every trace goes through, wherever it came from: judge, then seal."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bot.settings import Settings
from bot.traces import signing
from bot.traces.integrity import seal
from bot.traces.judge import judge_trace
from bot.traces.schema import QA, Trace, Validation


def trace_secret(settings: Settings) -> bytes:
    return settings.trace_secret.get_secret_value().encode("utf-8")


def signer(settings: Settings) -> Ed25519PrivateKey:
    return signing.load_or_create_signing_key(settings)


def judge_and_seal(trace: Trace, settings: Settings, validation: Validation | None) -> Trace:
    """Attach QA and seal; the trace must already be redacted and complete."""
    verdict = judge_trace(
        trace,
        model=settings.model,
        fallback_model=settings.fallback_model,
        api_base=settings.model_api_base,
        timeout=settings.model_timeout_seconds,
    )
    judged = trace.model_copy(update={"qa": QA(validation=validation, judge=verdict)})
    return seal(judged, trace_secret(settings), signer(settings))

"""Prometheus metrics of the web process and the worker, each on a registry of its own."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from functools import wraps
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

ARQ_QUEUE_KEY = "arq:queue"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
JOB_BUCKETS = (0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800)

T = TypeVar("T")


class WebMetrics:
    """Deliveries by event and outcome, ingress latency, and queue depth (read at scrape)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "truth_webhook_deliveries",
            "Webhook deliveries by event and answer",
            ["event", "status"],
            registry=self.registry,
        )
        self.ingress_seconds = Histogram(
            "truth_ingress_seconds",
            "Time from a delivery's arrival to its answer",
            ["event"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "truth_queue_depth", "Jobs waiting in the arq queue", registry=self.registry
        )

    def observe_delivery(self, event: str, status: str, seconds: float) -> None:
        self.deliveries.labels(event, status).inc()
        self.ingress_seconds.labels(event).observe(seconds)

    def exposition(self, queue_depth: int | None) -> tuple[bytes, str]:
        """The text exposition; an unknown depth (Redis down) keeps the last value."""
        if queue_depth is not None:
            self.queue_depth.set(queue_depth)
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class WorkerMetrics:
    """Jobs by outcome and duration, sandbox runs by verdict, model tokens and cost."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.jobs = Counter(
            "truth_jobs", "Jobs finished by function and outcome", ["function", "outcome"],
            registry=self.registry,
        )  # fmt: skip
        self.job_seconds = Histogram(
            "truth_job_seconds", "Job duration by function", ["function"],
            buckets=JOB_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.sandbox_runs = Counter(
            "truth_sandbox_runs", "Sandboxed candidate verifications by verdict", ["verdict"],
            registry=self.registry,
        )  # fmt: skip
        self.model_tokens = Counter(
            "truth_model_tokens", "Model tokens by model and kind (prompt, completion)",
            ["model", "kind"], registry=self.registry,
        )  # fmt: skip
        self.model_cost = Counter(
            "truth_model_cost_usd", "Model cost in US dollars by model", ["model"],
            registry=self.registry,
        )  # fmt: skip

    @contextlib.contextmanager
    def job(self, function: str) -> Iterator[None]:
        """Count one job run: outcome `ok`, or the exception's class name; always its time."""
        started = time.monotonic()
        outcome = "ok"
        try:
            yield
        except BaseException as exc:
            outcome = type(exc).__name__
            raise
        finally:
            self.jobs.labels(function, outcome).inc()
            self.job_seconds.labels(function).observe(time.monotonic() - started)

    def timed(
        self, function: Callable[..., Awaitable[T]], name: str | None = None
    ) -> Callable[..., Awaitable[T]]:
        """Wrap an arq job function so every run is counted (keeps its name for arq)."""
        label = name or function.__name__

        @wraps(function)
        async def run(*args: Any, **kwargs: Any) -> T:
            with self.job(label):
                return await function(*args, **kwargs)

        return run

    def sandbox_run(self, verdict: str) -> None:
        self.sandbox_runs.labels(verdict).inc()

    def model_usage(
        self, model: str, prompt_tokens: int, completion_tokens: int, cost_usd: float
    ) -> None:
        self.model_tokens.labels(model, "prompt").inc(max(prompt_tokens, 0))
        self.model_tokens.labels(model, "completion").inc(max(completion_tokens, 0))
        self.model_cost.labels(model).inc(max(cost_usd, 0.0))


_WORKER: WorkerMetrics | None = None


def worker_metrics() -> WorkerMetrics:
    """The worker process's one WorkerMetrics (the pipeline records into it from anywhere)."""
    global _WORKER
    if _WORKER is None:
        _WORKER = WorkerMetrics()
    return _WORKER


def serve_worker_metrics(
    metrics: WorkerMetrics, port: int, redis_url: str, host: str = "0.0.0.0"
) -> Any:
    """Serve /metrics for the worker on `port` (a thread); queue depth is read at each scrape."""
    import redis
    from prometheus_client import start_http_server
    from prometheus_client.core import GaugeMetricFamily
    from prometheus_client.registry import Collector

    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)

    class QueueDepth(Collector):
        def collect(self) -> Iterator[Any]:
            # Read at scrape time; with Redis down the sample is absent rather than stale.
            with contextlib.suppress(redis.RedisError, OSError):
                depth = int(client.zcard(ARQ_QUEUE_KEY))  # type: ignore[arg-type]
                yield GaugeMetricFamily("truth_queue_depth", "Jobs waiting in the arq queue", depth)

    metrics.registry.register(QueueDepth())
    server, _thread = start_http_server(port, addr=host, registry=metrics.registry)
    return server

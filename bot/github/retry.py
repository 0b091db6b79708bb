"""How the worker retries GitHub, as GitHub documents it; the one retry layer for HTTP.

- `Retry-After` is honoured; a primary limit (`x-ratelimit-remaining: 0`) waits for its reset.
- A secondary limit with no header waits at least a minute, doubling on each repeat.
- Server errors and dropped connections are retried for reads and for writes that are safe to
  repeat (PATCH, PUT, DELETE). A POST is not resent blindly: the writers look for their
  marker first (bot/github/report.py), so a 502 after a comment was made does not double it.
- A permanent refusal (403 "Resource not accessible by integration", 404, 422) is never
  retried; `explain` turns it into a sentence saying which permission the app lacks.
Jobs are retried by arq, not here.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from githubkit.exception import GitHubException, RateLimitExceeded, RequestError, RequestFailed
from githubkit.typing import RetryOption

log = logging.getLogger(__name__)

MAX_RETRIES = 4
SECONDARY_MINIMUM = timedelta(seconds=60)
LONGEST_WAIT = timedelta(minutes=15)  # a longer reset is better reported than slept through
REPEATABLE = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})
NOT_PERMITTED = "Resource not accessible by integration"
# The permission each kind of write or read needs, by a fragment of its path.
PERMISSIONS = (
    ("/check-runs", "Checks: write"),
    ("/pulls/", "Pull requests: write"),
    ("/issues/", "Issues: write (or Pull requests: write)"),
    ("/git/", "Contents: write"),
    ("/contents/", "Contents: read"),
    ("/tarball/", "Contents: read"),
    ("/actions/", "Actions: read"),
    ("/collaborators/", "Metadata: read"),
)


def _message(exc: RequestFailed) -> str:
    try:
        body = exc.response.json()
    except ValueError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def is_secondary_limit(exc: GitHubException) -> bool:
    if not isinstance(exc, RequestFailed) or exc.response.status_code not in (403, 429):
        return False
    return "secondary rate limit" in _message(exc).lower()


def is_permission_refusal(exc: GitHubException) -> bool:
    return (
        isinstance(exc, RequestFailed)
        and exc.response.status_code == 403
        and NOT_PERMITTED.lower() in _message(exc).lower()
    )


class GitHubRetry:
    """githubkit's `auto_retry` decision: when to try again and how long to wait first."""

    def __init__(
        self, max_retries: int = MAX_RETRIES, secondary_minimum: timedelta = SECONDARY_MINIMUM
    ) -> None:
        self.max_retries = max_retries
        self.secondary_minimum = secondary_minimum

    def __call__(self, exc: GitHubException, retry_count: int) -> RetryOption:
        if retry_count >= self.max_retries:
            return RetryOption(False)
        wait = self.wait_for(exc, retry_count)
        if wait is None:
            return RetryOption(False)
        if wait > LONGEST_WAIT:
            log.warning("GitHub asks to wait %s; not waiting that long in a job", wait)
            return RetryOption(False)
        log.warning("GitHub: %s; retrying in %.0f s", type(exc).__name__, wait.total_seconds())
        return RetryOption(True, wait)

    def wait_for(self, exc: GitHubException, retry_count: int) -> timedelta | None:
        """How long to wait before retrying `exc`, or None when retrying cannot help."""
        backoff: timedelta = self.secondary_minimum * (1 << retry_count)
        if isinstance(exc, RateLimitExceeded):
            told: timedelta = exc.retry_after
            if "retry-after" not in exc.response.headers and is_secondary_limit(exc):
                return max(told, backoff)  # only the reset to go by: back off as well
            return max(told, timedelta(seconds=1))
        if is_secondary_limit(exc):
            return backoff  # no Retry-After, no reset: at least a minute, then longer
        if isinstance(exc, RequestFailed):
            repeatable = exc.request.method in REPEATABLE
            if exc.response.status_code >= 500 and repeatable:
                return timedelta(seconds=(retry_count + 1) ** 2)
            return None
        if isinstance(exc, RequestError) and _request_method(exc) in REPEATABLE:
            return timedelta(seconds=(retry_count + 1) ** 2)  # dropped connection, timeout
        return None


def _request_method(exc: RequestError[Any]) -> str | None:
    request = getattr(exc.exc, "request", None)
    try:
        return str(request.method) if request is not None else None
    except RuntimeError:  # httpx raises when an error carries no request
        return None


def explain(exc: GitHubException) -> str:
    """A sentence for the status comment or check run about a refusal that retrying won't fix."""
    if not isinstance(exc, RequestFailed):
        return f"GitHub could not be reached ({type(exc).__name__}); the job will be retried."
    request, status = exc.request, exc.response.status_code
    where = f"{request.method} {request.url.path}"
    if is_permission_refusal(exc):
        needed = next((p for frag, p in PERMISSIONS if frag in request.url.path), None)
        grant = f"grant the app {needed}" if needed else "grant the app the permission it needs"
        return (
            f"GitHub refused {where}: the app's installation may not do this "
            f"({NOT_PERMITTED}). An organization owner can {grant} in the app's installation "
            "settings; until then Truth Engine skips this step."
        )
    if isinstance(exc, RateLimitExceeded) or is_secondary_limit(exc):
        return (
            f"GitHub's rate limit stopped {where} and the wait it asked for was too long; "
            "the job will be retried later."
        )
    return f"GitHub answered {status} to {where}: {_message(exc) or 'no message'}."

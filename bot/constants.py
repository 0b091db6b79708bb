"""Names and defaults shared by the CLI, the worker and the GitHub reports: each lives here once."""

from __future__ import annotations

# The check run Truth Engine opens on a PR's head; also how we recognise our own check runs.
CHECK_RUN_NAME = "Truth Engine"
# The check run that publishes a PR's sealed telemetry trace (its chain head).
TRACE_CHECK_RUN_NAME = "Truth Engine trace"

# Candidates verified in parallel per round (`truth fix --candidates`, `max_candidates`).
DEFAULT_CANDIDATES = 3
# The whole search stops after this many distinct candidates or this much wall time.
MAX_CANDIDATES = 40
SEARCH_TIME_BUDGET_S = 300.0

DEFAULT_TEST_COMMAND = "python -m pytest -q"

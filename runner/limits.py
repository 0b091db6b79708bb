"""Resource limits for one sandboxed run (SPEC §5 defaults: 10 s, 1024 MB, no network), and the
time limits of a verification: a generous baseline limit, candidates' limits from its measure."""

from __future__ import annotations

from dataclasses import dataclass, replace

HANG_DUMP_FRACTION = 0.6
DEFAULT_TIMEOUT_SECONDS = 600.0  # the baseline's limit when neither config nor CLI sets one
CANDIDATE_MULTIPLE = 3.0
CANDIDATE_MARGIN_SECONDS = 20.0
RAISE_HINT = "raise it with `timeout:` in .github/truth.yml or --timeout"


@dataclass(frozen=True)
class SandboxLimits:
    memory_mb: int = 1024
    cpus: float = 1.0
    pids: int = 256
    wall_seconds: float = 10.0
    output_bytes: int = 1024 * 1024
    scratch_mb: int = 256
    # Which limit this is and why, for the message of a run stopped at it.
    wall_name: str = "wall-time limit"
    wall_why: str = ""

    @property
    def hang_dump_seconds(self) -> float:
        """When pytest dumps a still-running test's stack: the wall limit counts from container
        start, so start-up, collection and earlier tests must fit before the dump is due."""
        return round(max(0.5, self.wall_seconds * HANG_DUMP_FRACTION), 1)

    def stopped_reason(self) -> str:
        why = f" ({self.wall_why})" if self.wall_why else ""
        return f"killed at the {self.wall_seconds:g} s {self.wall_name}{why}"


def baseline_limits(limits: SandboxLimits, timeout: float | None) -> SandboxLimits:
    """The baseline's limit: the configured timeout, else DEFAULT_TIMEOUT_SECONDS."""
    seconds = float(timeout) if timeout else DEFAULT_TIMEOUT_SECONDS
    source = "the configured timeout" if timeout else "the default timeout"
    return replace(
        limits,
        wall_seconds=seconds,
        wall_name="baseline time limit",
        wall_why=f"{source}; {RAISE_HINT}",
    )


def candidate_limits(limits: SandboxLimits, baseline_ms: float, cap: float) -> SandboxLimits:
    """A candidate's limit from the baseline's measured time: a multiple plus a margin, never
    above the baseline's own limit `cap`."""
    measured = baseline_ms / 1000.0
    seconds = min(cap, measured * CANDIDATE_MULTIPLE + CANDIDATE_MARGIN_SECONDS)
    return replace(
        limits,
        wall_seconds=round(seconds, 1),
        wall_name="candidate time limit",
        wall_why=(
            f"{CANDIDATE_MULTIPLE:g} times the baseline's {measured:.1f} s + "
            f"{CANDIDATE_MARGIN_SECONDS:g} s; {RAISE_HINT}"
        ),
    )


def far_above(limits: SandboxLimits, baseline_ms: float) -> bool:
    """Whether a run stopped at `limits` ran far longer than the baseline took: only then may a
    stuck test be called an endless loop rather than a slow suite."""
    return limits.wall_seconds >= max(3 * baseline_ms / 1000.0, baseline_ms / 1000.0 + 10)

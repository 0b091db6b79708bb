"""Resource limits for one sandboxed run (SPEC §5 defaults: 10 s, 1024 MB, no network)."""

from __future__ import annotations

from dataclasses import dataclass

HANG_DUMP_FRACTION = 0.6


@dataclass(frozen=True)
class SandboxLimits:
    memory_mb: int = 1024
    cpus: float = 1.0
    pids: int = 256
    wall_seconds: float = 10.0
    output_bytes: int = 1024 * 1024
    scratch_mb: int = 256

    @property
    def hang_dump_seconds(self) -> float:
        """When pytest dumps a still-running test's stack: the wall limit counts from container
        start, so start-up, collection and earlier tests must fit before the dump is due."""
        return round(max(0.5, self.wall_seconds * HANG_DUMP_FRACTION), 1)

"""Resource limits for one sandboxed run (SPEC §5 defaults: 10 s, 1024 MB, no network)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxLimits:
    memory_mb: int = 1024
    cpus: float = 1.0
    pids: int = 256
    wall_seconds: float = 10.0
    output_bytes: int = 1024 * 1024
    scratch_mb: int = 256

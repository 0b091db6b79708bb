"""Host side of the in-container supervisor: the run's stdin payload and its signed report."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.wrapper import PREPARE, pytest_addopts

INSIDE = Path(__file__).resolve().parent / "inside"
SUPERVISOR_SOURCE = (INSIDE / "supervise.py").read_text(encoding="utf-8")
PLUGIN_SOURCE = (INSIDE / "evidence_plugin.py").read_text(encoding="utf-8")
SUPERVISOR_UID = 10002
# The host waits this long past the wall limit for the supervisor's report before killing.
REPORT_GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class RunPlan:
    """Everything one supervised run needs besides the tree."""

    command: str
    wall_seconds: float
    per_test_seconds: float
    hang_dump_seconds: float | None
    output_bytes: int
    env: dict[str, str]
    test_uid: int
    mark: str = field(default_factory=lambda: f"TRUTH-END-{secrets.token_hex(16)}")
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    # A fresh module name each run: a candidate cannot ship a file that shadows it.
    plugin: str = field(default_factory=lambda: f"truth_evidence_{secrets.token_hex(6)}")

    def payload(self, tree: bytes) -> bytes:
        config: dict[str, Any] = {
            "command": self.command,
            "prepare": PREPARE,
            "env": self.env,
            "test_uid": self.test_uid,
            "supervisor_uid": SUPERVISOR_UID,
            "deadline_seconds": self.wall_seconds,
            "per_test_seconds": self.per_test_seconds,
            "output_bytes": self.output_bytes,
            "plugin_name": self.plugin,
            "plugin_source": PLUGIN_SOURCE,
            "pytest_addopts": pytest_addopts(self.plugin, self.hang_dump_seconds),
        }
        head = f"{self.mark}\n{self.secret.hex()}\n{json.dumps(config)}\n"
        return head.encode("utf-8") + tree

    def read_report(self, raw: bytes) -> tuple[dict[str, Any] | None, str]:
        """The supervisor's report from the bytes after the marker, or None and why not."""
        lines = raw.split(b"\n")
        if len(lines) < 3:
            return None, "the supervisor's report is incomplete"
        try:
            body = base64.b64decode(lines[1], validate=True)
        except (binascii.Error, ValueError):
            return None, "the supervisor's report is not base64"
        expected = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), lines[2].strip()):
            return None, "the supervisor's report does not carry this run's signature"
        try:
            report = json.loads(body)
        except ValueError:
            return None, "the supervisor's report is not JSON"
        if not isinstance(report, dict):
            return None, "the supervisor's report is not an object"
        return report, ""

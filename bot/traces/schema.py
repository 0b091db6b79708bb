"""Trace schema v1: the pydantic models every producer, consumer and verifier of a trace shares."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

TRACE_VERSION = "1.0"
SCHEMA_ID = "https://truth-engine.dev/schemas/trace-v1.schema.json"
RUBRIC_WEIGHTS: dict[str, int] = {
    "problem_understanding": 20,
    "causal_linking": 25,
    "experiment_design": 20,
    "efficiency": 15,
    "reproducibility": 10,
    "safety_hygiene": 10,
}


def _to_millis(value: float) -> float:
    return round(value, 3)


# Every float in a trace is rounded to 3 decimals (at most 13 significant digits for Unix
# times). Longer decimals can name the same double in two spellings, and then a changed byte
# would leave the parsed value, and so the hashes, unchanged.
Decimal3 = Annotated[float, AfterValidator(_to_millis)]


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Strict(BaseModel):
    # Unknown fields are rejected so a typo in a submitted trace is an error, not silent loss.
    model_config = ConfigDict(extra="forbid")


class ArtifactRef(Strict):
    """A large output kept out of the event stream, found by URI and checked by SHA-256."""

    uri: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    media_type: str = "text/plain"


class EventBase(Strict):
    id: str = Field(default_factory=lambda: new_id("evt"))
    seq: int = Field(ge=0, description="0-based position in the trace; gaps are rejected")
    ts_client: Decimal3 = Field(
        description="Unix seconds by the producer's clock (e.g. commit time)"
    )
    ts_server: Decimal3 = Field(
        description="Unix seconds when the server (or capturer) recorded it"
    )
    commit: str | None = Field(default=None, description="Commit the event belongs to, if any")


class FileEdit(EventBase):
    type: Literal["file_edit"] = "file_edit"
    file_path: str
    change: Literal["added", "modified", "deleted"] = "modified"
    language: str | None = None
    diff_unified: str
    buffer_hash_after: str | None = Field(
        default=None, description="SHA-256 of the file after the edit; null when deleted"
    )
    lines_added: int = 0
    lines_removed: int = 0


class CmdRun(EventBase):
    type: Literal["cmd_run"] = "cmd_run"
    cmd: str
    exit_code: int | None
    duration_ms: Decimal3 | None = None
    source: Literal["local", "sandbox", "ci", "client"] = "client"
    stdout_ref: ArtifactRef | None = None
    stderr_ref: ArtifactRef | None = None
    url: str | None = None


class TestRun(EventBase):
    __test__ = False  # not a pytest test class, despite the name
    type: Literal["test_run"] = "test_run"
    framework: str = "pytest"
    num_passed: int = Field(ge=0)
    num_failed: int = Field(ge=0)
    num_skipped: int = Field(default=0, ge=0)
    failed_tests: list[str] = Field(default_factory=list)
    duration_ms: Decimal3 | None = None
    source: Literal["local", "sandbox", "ci", "client"] = "client"
    output_ref: ArtifactRef | None = None


class Rationale(Strict):
    plan: str | None = None
    hypothesis: str | None = None
    observation: str | None = None
    decision: str | None = None
    next_step: str | None = None
    freeform: str | None = Field(default=None, description="Kept only with consent")


class RationaleNote(EventBase):
    type: Literal["rationale_note"] = "rationale_note"
    source: Literal["commit_message", "review_comment", "client"] = "client"
    author: str | None = None
    structured: Rationale
    structured_by: str = Field(default="rules", description="'rules' or the model's name")


Event = Annotated[FileEdit | CmdRun | TestRun | RationaleNote, Field(discriminator="type")]


class Session(Strict):
    id: str = Field(default_factory=lambda: new_id("sess"))
    source: Literal["local", "github", "client"] = "client"
    actor: str | None = None
    consent: bool = Field(description="The developer agreed to having this session recorded")
    installation_id: int | None = None


class Task(Strict):
    title: str = ""
    description: str = ""
    pull_request: int | None = None
    url: str | None = None


class Repo(Strict):
    name: str = Field(description="owner/name, or a local folder's name")
    url: str | None = None
    base: str | None = None
    head: str | None = None
    snapshot: ArtifactRef | None = Field(
        default=None, description="tar.gz of the tree at head, used for sandbox validation"
    )
    test_command: str | None = None


class Environment(Strict):
    os: str | None = None
    python: str | None = None
    tool: str = "truth-engine"
    tool_version: str | None = None


class Metrics(Strict):
    num_events: int = 0
    num_commits: int = 0
    files_touched: int = 0
    lines_added: int = 0
    lines_removed: int = 0
    test_runs: int = 0
    redactions: int = 0
    duration_s: Decimal3 | None = None


class Validation(Strict):
    status: Literal["passed", "failed", "skipped", "error"]
    tests_passed: bool | None
    framework: str = "pytest"
    command: str | None = None
    runtime_s: Decimal3 | None = None
    num_passed: int | None = None
    num_failed: int | None = None
    failed_tests: list[str] = Field(default_factory=list)
    image: str | None = None
    reason: str = ""


class JudgeScores(Strict):
    problem_understanding: Decimal3 = Field(ge=0, le=5)
    causal_linking: Decimal3 = Field(ge=0, le=5)
    experiment_design: Decimal3 = Field(ge=0, le=5)
    efficiency: Decimal3 = Field(ge=0, le=5)
    reproducibility: Decimal3 = Field(ge=0, le=5)
    safety_hygiene: Decimal3 = Field(ge=0, le=5)
    overall: Decimal3 = Field(ge=0, le=5)


class Judge(Strict):
    model: str = Field(description="The model's name, or 'builtin' for the deterministic judge")
    prompt_version: str
    scores: JudgeScores
    feedback_summary: str
    weights: dict[str, int] = Field(default_factory=lambda: dict(RUBRIC_WEIGHTS))


class QA(Strict):
    validation: Validation | None = None
    judge: Judge | None = None


class Signature(Strict):
    algorithm: Literal["ed25519"] = "ed25519"
    key_id: str = Field(description="First 16 hex digits of SHA-256 of the raw public key")
    value: str = Field(description="Base64 signature over the canonical manifest")


class Integrity(Strict):
    """See bot/traces/chain.py and signing.py for how each field is computed."""

    algorithm: Literal["hmac-sha256-chain"] = "hmac-sha256-chain"
    schema_hash: str
    genesis: str
    event_hash_chain: str = Field(description="h_N, the chain head")
    chain: list[str] = Field(description="h_0..h_N, one per event")
    event_digests: list[str] = Field(description="SHA-256 of each event's canonical JSON")
    header_sha256: str = Field(description="SHA-256 of the canonical trace minus events/integrity")
    header_hmac: str = Field(description="HMAC of the header, keyed on the chain head")
    signature: Signature | None = None


class Trace(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"$id": SCHEMA_ID})

    trace_version: Literal["1.0"] = "1.0"
    trace_id: str = Field(default_factory=lambda: new_id("trace"))
    session: Session
    task: Task = Field(default_factory=Task)
    repo: Repo
    environment: Environment = Field(default_factory=Environment)
    events: list[Event] = Field(default_factory=list)
    artifacts: dict[str, ArtifactRef] = Field(default_factory=dict)
    metrics: Metrics = Field(default_factory=Metrics)
    qa: QA = Field(default_factory=QA)
    integrity: Integrity | None = None
    created_at: datetime = Field(default_factory=utc_now)
    completed_at: datetime | None = None

    def __str__(self) -> str:
        head = self.integrity.event_hash_chain[:16] if self.integrity else "unsealed"
        return f"{self.trace_id} ({len(self.events)} events, chain head {head})"


def schema_document() -> dict[str, Any]:
    return Trace.model_json_schema(mode="serialization")


@cache
def schema_text() -> str:
    """The exact bytes committed as schemas/trace-v1.schema.json."""
    return json.dumps(schema_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "trace-v1.schema.json"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    """Regenerate the published schema file after changing the models."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path


def schema_hash() -> str:
    return hashlib.sha256(schema_text().encode("utf-8")).hexdigest()

"""Execution proof downloads: a candidate's ProofRecord as JSON or as readable text."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.responses import Response

from db.fix_sessions import ProofRecord
from db.queries import SessionDetail
from runner.proof import proof_text

BASELINE = "baseline"  # the name in URLs for a proof recorded without a candidate


def proof_name(record: ProofRecord) -> str:
    return record.candidate_id or BASELINE


def find_proof(detail: SessionDetail, candidate: str) -> ProofRecord | None:
    """The newest proof recorded for `candidate` ("baseline": the proof of no candidate)."""
    wanted = None if candidate == BASELINE else candidate
    matches = [p for p in detail.proofs if p.candidate_id == wanted]
    return matches[-1] if matches else None


def readable(proof: dict[str, Any]) -> str:
    try:
        return proof_text(proof)
    except (KeyError, TypeError):  # a proof of another version: still readable as JSON
        return "Truth Engine proof (raw)\n\n" + json.dumps(proof, indent=2, sort_keys=True) + "\n"


def proof_response(session_id: str, record: ProofRecord, fmt: str) -> Response:
    """A download; X-Proof-SHA256 is the stored hash of the canonical JSON (db.queries)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", f"truth-proof-{session_id}-{proof_name(record)}")
    if fmt == "json":
        body = json.dumps(record.proof, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        media = "application/json"
    else:
        body = readable(record.proof)
        media = "text/plain; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}.{fmt}"',
            "X-Proof-SHA256": record.sha256,
        },
    )

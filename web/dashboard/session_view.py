"""What a session page shows beyond the stored records: candidate rows in plain words, how the
candidates ended, the reproduce command's files, and the PR's trace."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from db.dashboard import CandidateState, trace_for_pull
from db.engine import session_scope
from db.fix_sessions import CandidateRecord, ProofRecord
from db.queries import SessionDetail
from web.dashboard.candidates import CandidateRow, GroupRow, grouped, row_for

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def state_of(record: CandidateRecord) -> CandidateState:
    return CandidateState(
        record.candidate_id, record.engine, record.description, record.status, record.reason,
        record.duration_ms, record.changed_lines, record.votes, bool(record.diff.strip()),
    )  # fmt: skip


@dataclass
class SessionView:
    rows: list[CandidateRow]
    groups: list[GroupRow]
    groups_left_out: int
    failing_before: list[str]
    files: dict[str, Path] = field(default_factory=dict)  # downloadable name -> path
    trace_id: str | None = None

    @property
    def any_votes(self) -> bool:
        return any(r.engines_agreeing > 1 for r in self.rows)


def failing_before(detail: SessionDetail) -> list[str]:
    baseline = next((r for r in detail.runs if r.candidate_id is None), None)
    tests = baseline.tests if baseline else {}
    return [t for t, o in tests.items() if str(o.get("status")) in ("failed", "error")]


def session_view(engine: Engine, detail: SessionDetail) -> SessionView:
    before = failing_before(detail)
    tests = {r.candidate_id: r.tests for r in detail.runs if r.candidate_id}
    states = [state_of(c) for c in detail.candidates]
    winner = detail.session.winner_candidate_id
    rows = [row_for(s, tests.get(s.candidate_id), before, winner) for s in states]
    groups, left_out = grouped(states, tests, before)
    view = SessionView(rows, groups, left_out, before, reproduce_files(detail.proofs))
    session = detail.session
    if session.repository and session.pull_number:
        with session_scope(engine) as db:
            view.trace_id = trace_for_pull(
                db, session.repository, session.pull_number, session.installation_id
            )
    return view


def _proof_dir(record: ProofRecord) -> Path | None:
    return Path(record.text_path).parent if record.text_path else None


def reproduce_files(proofs: list[ProofRecord]) -> dict[str, Path]:
    """The files the proofs' reproduce commands need (the patches and the repository's tar),
    by the names the page links; only files that sit in a proof's own folder."""
    files: dict[str, Path] = {}
    for record in proofs:
        folder = _proof_dir(record)
        if folder is None:
            continue
        named = [str(record.proof.get("tree") or "")]
        named.append(f"{record.candidate_id}.patch" if record.candidate_id else "")
        for name in named:
            path = folder / Path(name).name
            if name and SAFE_NAME.fullmatch(path.name) and path.is_file():
                files[path.name] = path
    return files


def local_command(command: str, folder: Path | None) -> str:
    """The reproduce command with the server's proof folder replaced by the current folder, so
    it runs where the downloaded files are."""
    if folder is None or not command:
        return command
    prefix = str(folder.resolve()) + "/"
    if shlex.quote(prefix) != prefix:  # a quoted path: $PWD would not expand inside it
        return command
    return command.replace(prefix, '"$PWD"/')


def reproduce_for(proofs: list[ProofRecord], candidate_id: str | None) -> tuple[str, list[str]]:
    """The shown candidate's reproduce command (runnable beside its downloaded files) and the
    names of those files; ("", []) when it has no proof."""
    record = next((p for p in reversed(proofs) if p.candidate_id == candidate_id), None)
    if record is None:
        return "", []
    folder = _proof_dir(record)
    command = local_command(str(record.proof.get("reproduce") or ""), folder)
    names = [Path(str(record.proof.get("tree") or "")).name]
    if candidate_id:
        names.append(f"{candidate_id}.patch")
    return command, [n for n in names if n and f'"$PWD"/{n}' in command]

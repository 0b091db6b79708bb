"""The landing page says what to do next; local sessions are found by folder; the reproduce
command's files are served, and only those."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.settings import Settings
from db import queries
from db.engine import session_scope
from runner.proof import write_proof
from runner.results import TestStatus, Verdict, Verification
from runner.snapshot import RepoSnapshot
from tests.web.dashboard.app import serve
from tests.web.dashboard.seed import WINNER_DIFF, _run, seed_session


async def test_an_empty_dashboard_welcomes_with_what_to_do_next(local_settings: Settings) -> None:
    async with serve(local_settings) as client:
        page = (await client.get("/")).text
    assert 'id="welcome"' in page and 'href="/paste"' in page
    assert "uv run truth fix examples/off_by_one" in page and 'href="/docs"' in page
    assert 'id="local-usage"' not in page  # nothing used today: no empty box either


async def test_signed_out_visitors_of_an_app_get_a_welcome_not_a_redirect(
    github_settings: Settings,
) -> None:
    async with serve(github_settings) as client:
        answer = await client.get("/")
    assert answer.status_code == 200 and "Sign in with GitHub" in answer.text


async def test_the_landing_page_lists_the_latest_sessions_and_this_machines_usage(
    local_settings: Settings, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=None, repository=None, repo_path="/h/calc")
    async with serve(local_settings) as client:
        page = (await client.get("/")).text
        by_folder = (await client.get("/sessions", params={"repository": "calc"})).text
        by_path = (await client.get("/sessions", params={"repository": "/h/calc"})).text
        other = (await client.get("/sessions", params={"repository": "alc"})).text
    assert f'href="/sessions/{seeded.session_id}"' in page and "verified fix" in page
    assert "1 session on this machine today. Local mode has no quota" in page
    assert seeded.session_id in by_folder and seeded.session_id in by_path
    assert seeded.session_id not in other  # a folder name, not any substring


def proofs_with_files(tmp_path: Path, engine: Engine, session_id: str) -> Path:
    """A candidate's proof written the way the pipeline writes one: with its patch and tree."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "calc.py").write_text("def last(items):\n    return items[len(items)]\n")
    verification = Verification(
        Verdict.VERIFIED, "ok", _run(1, TestStatus.FAILED), _run(0, TestStatus.PASSED)
    )
    folder = tmp_path / "proofs"
    json_path, text_path = write_proof(
        verification, folder, "cand-1", patch=WINNER_DIFF, snapshot=RepoSnapshot.from_path(repo)
    )
    import json

    with session_scope(engine) as db:
        queries.record_proof(db, session_id, "cand-1", json.loads(json_path.read_text()),
                             str(text_path))  # fmt: skip
    return folder


async def test_the_reproduce_commands_files_download_and_nothing_else(
    local_settings: Settings, db_engine: Engine, tmp_path: Path
) -> None:
    seeded = seed_session(db_engine, installation_id=None)
    folder = proofs_with_files(tmp_path, db_engine, seeded.session_id)
    (folder / "secret.txt").write_text("not a proof file")
    [tree] = [p.name for p in folder.glob("tree-*.tar")]
    async with serve(local_settings) as client:
        page = (await client.get(f"/sessions/{seeded.session_id}")).text
        patch = await client.get(f"/sessions/{seeded.session_id}/files/cand-1.patch")
        archive = await client.get(f"/sessions/{seeded.session_id}/files/{tree}")
        other = await client.get(f"/sessions/{seeded.session_id}/files/secret.txt")
        escape = await client.get(f"/sessions/{seeded.session_id}/files/..%2Fsecret.txt")
    assert f'href="/sessions/{seeded.session_id}/files/{tree}"' in page
    command = re.search(r'<pre class="command" id="reproduce">(.*?)</pre>', page, re.S)
    assert command and f"&#34;$PWD&#34;/{tree}" in command.group(1)
    assert str(folder) not in command.group(1)  # runs where the files were downloaded
    assert patch.status_code == 200 and patch.text == WINNER_DIFF
    assert archive.status_code == 200
    (tmp_path / "got.tar").write_bytes(archive.content)
    with tarfile.open(tmp_path / "got.tar") as tar:
        assert "repo/calc.py" in tar.getnames()
    assert other.status_code == 404 and escape.status_code == 404

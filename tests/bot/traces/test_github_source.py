"""A PR rebuilt against the shared fake GitHub: commits, files, check runs, review comments."""

from __future__ import annotations

import hashlib
import json

from githubkit import GitHub

from bot.traces.ci_results import parse_check_output
from bot.traces.github_source import CHECK_RUN_NAME, capture_pr_trace
from bot.traces.integrity import verify_document
from bot.traces.schema import CmdRun, FileEdit, RationaleNote
from bot.traces.schema import TestRun as TestRunEvent
from bot.traces.signing import load_or_create_signing_key
from db.traces import TraceRecord
from tests.bot.traces.history import EVEN_TEST, FIXED
from tests.fixtures.github.history import add_pr_commit, add_review_comment

REPO = "acme/stats"
HEAD = "c" * 40
FIRST = "a" * 40


def _client() -> GitHub:  # type: ignore[type-arg]
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


def _pr(fake_github) -> None:
    fake_github.add_pull(REPO, 7, head_sha=HEAD)
    add_pr_commit(
        fake_github, REPO, 7, sha=FIRST, date="2026-01-05T10:00:00Z",
        message="Add failing test for even medians\n\nObservation: median([4,1,3,2]) is 3.",
        files=[{"filename": "tests/test_core.py", "status": "modified", "content": EVEN_TEST,
                "patch": "@@ -4,0 +5,4 @@\n+\n+def test_median_even():\n+    assert 1\n"}],
    )  # fmt: skip
    add_pr_commit(
        fake_github, REPO, 7, sha=HEAD, date="2026-01-05T10:20:00Z",
        message="Fix median\n\nRoot cause: len // 2 picks the upper middle element because "
        "even lengths have two.\nexport API_TOKEN=ghp_" + "z" * 36,
        files=[{"filename": "stats/core.py", "status": "modified", "content": FIXED,
                "patch": "@@ -1,3 +1,6 @@\n-    return x\n+    return y\n"},
               {"filename": "old.py", "status": "removed", "patch": "@@ -1 +0,0 @@\n-x\n"}],
    )  # fmt: skip
    fake_github.add_check_run(
        REPO, head_sha=FIRST, name="pytest", conclusion="failure",
        output={"title": "1 failed, 1 passed",
                "summary": "FAILED tests/test_core.py::test_median_even - assert 3 == 2.5\n"
                           "1 failed, 1 passed in 0.12s"},
    )  # fmt: skip
    fake_github.add_check_run(
        REPO, head_sha=HEAD, name="pytest", conclusion="success",
        output={"title": "2 passed", "summary": "2 passed in 0.10s"},
    )  # fmt: skip
    fake_github.add_check_run(REPO, head_sha=HEAD, name="lint", conclusion="success")
    add_review_comment(fake_github, REPO, 7, commit_id=HEAD, at="2026-01-05T11:00:00Z",
                       body="Maybe the empty list fails because max() has nothing to pick. "
                            "Next: add a test for median([]).")  # fmt: skip


async def test_pr_reconstruction_seals_and_publishes_the_chain_head(
    fake_github, tmp_path, db_engine
):
    from bot.settings import Settings

    _pr(fake_github)
    settings = Settings(state_dir=tmp_path, trace_secret="gh-secret")  # type: ignore[call-arg]
    trace = await capture_pr_trace(
        _client(), settings, db_engine, installation_id=42, repository=REPO, pull_number=7,
        validate=False,
    )  # fmt: skip

    edits = [e for e in trace.events if isinstance(e, FileEdit)]
    assert [(e.commit, e.file_path, e.change) for e in edits] == [
        (FIRST, "tests/test_core.py", "modified"),
        (HEAD, "stats/core.py", "modified"),
        (HEAD, "old.py", "deleted"),
    ]
    assert edits[0].buffer_hash_after == hashlib.sha256(EVEN_TEST.encode()).hexdigest()
    assert edits[1].buffer_hash_after == hashlib.sha256(FIXED.encode()).hexdigest()
    assert edits[2].buffer_hash_after is None
    assert "+    return y" in edits[1].diff_unified

    runs = [e for e in trace.events if isinstance(e, TestRunEvent)]
    assert [(r.commit, r.num_passed, r.num_failed, r.failed_tests) for r in runs] == [
        (FIRST, 1, 1, ["tests/test_core.py::test_median_even"]),
        (HEAD, 2, 0, []),
    ]
    jobs = [(e.cmd, e.exit_code, e.source) for e in trace.events if isinstance(e, CmdRun)]
    assert jobs == [("CI: pytest", 1, "ci"), ("CI: pytest", 0, "ci"), ("CI: lint", 0, "ci")]

    notes = [e for e in trace.events if isinstance(e, RationaleNote)]
    assert [n.source for n in notes] == ["commit_message", "commit_message", "review_comment"]
    assert notes[0].structured.observation == "median([4,1,3,2]) is 3."
    assert "upper middle element" in (notes[1].structured.hypothesis or "")
    assert notes[2].structured.next_step == "add a test for median([])."
    assert "ghp_" not in trace.model_dump_json() and trace.metrics.redactions == 1
    assert trace.task.pull_request == 7 and trace.repo.head == HEAD

    published = [r for r in fake_github.check_runs if r["name"] == CHECK_RUN_NAME]
    assert len(published) == 1 and published[0]["head_sha"] == HEAD
    assert trace.integrity and trace.integrity.event_hash_chain in published[0]["output"]["summary"]
    public_key = load_or_create_signing_key(settings).public_key()
    assert verify_document(json.loads(trace.model_dump_json()), public_key=public_key).ok

    from sqlmodel import Session

    with Session(db_engine) as session:
        stored = session.get(TraceRecord, trace.trace_id)
    assert stored is not None and stored.installation_id == 42 and stored.status == "finalized"
    assert stored.document_json == trace.model_dump_json()


def test_check_output_parsing_reads_pytest_summaries_and_annotations():
    parsed = parse_check_output(
        "= 2 failed, 10 passed, 1 skipped in 3.2s =",
        [{"annotation_level": "failure", "title": "tests/test_a.py::test_x failed"},
         {"annotation_level": "warning", "title": "tests/test_b.py::test_y"},
         {"annotation_level": "failure", "path": "tests/test_c.py", "title": "test_z"}],
    )  # fmt: skip
    assert (parsed.passed, parsed.failed, parsed.skipped) == (10, 2, 1)
    assert parsed.failed_tests == ["tests/test_a.py::test_x", "tests/test_c.py::test_z"]
    assert not parse_check_output("Build finished").found

"""Reconstruction from a real local git history: one event per file per commit, real hashes."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from bot.traces.gitlog import GitError
from bot.traces.local_source import CommitTests, reconstruct_local
from bot.traces.schema import FileEdit, RationaleNote, TestRun


def _blob(repo: Path, sha: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{sha}:{path}"], capture_output=True, check=True
    ).stdout


def test_one_file_edit_per_changed_file_with_sha256_of_the_file_after(good_repo):
    repo, shas = good_repo
    trace = reconstruct_local(repo, shas["base"], shas["more_tests"])
    edits = [e for e in trace.events if isinstance(e, FileEdit)]
    assert [(e.commit, e.file_path) for e in edits] == [
        (shas["failing_test"], "tests/test_core.py"),
        (shas["wrong_attempt"], "stats/core.py"),
        (shas["revert"], "stats/core.py"),
        (shas["fix"], "deploy.env"),
        (shas["fix"], "stats/core.py"),
        (shas["more_tests"], "tests/test_core.py"),
    ]
    for edit in edits:
        expected = hashlib.sha256(_blob(repo, edit.commit or "", edit.file_path)).hexdigest()
        assert edit.buffer_hash_after == expected
        assert edit.diff_unified.startswith(f"diff --git a/{edit.file_path} b/{edit.file_path}")
    fix = next(e for e in edits if e.commit == shas["fix"] and e.file_path == "stats/core.py")
    assert "+        return (ordered[middle - 1] + ordered[middle]) / 2" in fix.diff_unified
    assert (fix.lines_added, fix.lines_removed, fix.language) == (4, 1, "python")
    assert [e.seq for e in trace.events] == list(range(len(trace.events)))


def test_commit_messages_become_structured_rationale(good_repo):
    repo, shas = good_repo
    trace = reconstruct_local(repo, shas["base"], shas["more_tests"])
    notes = {e.commit: e.structured for e in trace.events if isinstance(e, RationaleNote)}
    assert len(notes) == 5
    assert notes[shas["failing_test"]].observation == (
        "median([4, 1, 3, 2]) returns 3 but should be 2.5."
    )
    assert notes[shas["wrong_attempt"]].hypothesis == "maybe the order of the list is wrong."
    assert notes[shas["fix"]].decision and "average the two middle" in notes[shas["fix"]].decision
    assert notes[shas["fix"]].hypothesis and "upper middle element" in notes[shas["fix"]].hypothesis
    assert notes[shas["more_tests"]].next_step == "cover empty input."


def test_secrets_in_diffs_are_redacted_and_counted(good_repo):
    repo, shas = good_repo
    trace = reconstruct_local(repo, shas["base"], shas["more_tests"])
    text = trace.model_dump_json()
    assert "hunter22secret" not in text
    assert "postgres://app:[REDACTED]@db:5432/app" in text
    assert trace.metrics.redactions == 1


def test_metrics_and_repo_describe_the_range(good_repo):
    repo, shas = good_repo
    trace = reconstruct_local(repo, shas["base"], shas["more_tests"])
    assert trace.repo.base == shas["base"] and trace.repo.head == shas["more_tests"]
    assert trace.metrics.num_commits == 5
    assert trace.metrics.files_touched == 3
    assert trace.metrics.num_events == len(trace.events) == 11
    assert trace.metrics.duration_s == 1000 - 60


def test_supplied_commit_test_results_become_cmd_and_test_runs(good_repo):
    repo, shas = good_repo
    red = CommitTests("pytest -q", 1, 120.0, 1, 1, 0, ["tests/test_core.py::test_median_even"])
    trace = reconstruct_local(
        repo, shas["base"], shas["failing_test"], tests={shas["failing_test"]: red}
    )
    run = next(e for e in trace.events if isinstance(e, TestRun))
    assert (run.num_failed, run.failed_tests, run.source) == (
        1,
        ["tests/test_core.py::test_median_even"],
        "sandbox",
    )


def test_unknown_ref_is_a_clear_error(good_repo):
    repo, shas = good_repo
    with pytest.raises(GitError, match="rev-parse"):
        reconstruct_local(repo, "no-such-branch", shas["fix"])


def test_not_a_repository_is_a_clear_error(tmp_path):
    with pytest.raises(GitError, match="not a git repository"):
        reconstruct_local(tmp_path, "HEAD~1", "HEAD")

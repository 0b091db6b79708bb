"""Every list call reads all pages (the fake pages 30 by default, 100 at most, with Link)."""

from __future__ import annotations

from typing import Any

from githubkit import GitHub

from bot.github import lists
from tests.fixtures.github import FakeGitHub

API = "https://api.github.com"
REPO = "acme/widgets"
HEAD = "a" * 40


def client() -> GitHub[Any]:
    return GitHub("ghs_test", base_url=API, auto_retry=False)


async def test_check_runs_of_a_busy_commit_are_all_read(fake_github: FakeGitHub) -> None:
    for i in range(230):
        fake_github.add_check_run(REPO, head_sha=HEAD, name=f"job {i}", conclusion="failure")
    runs = await lists.check_runs(client(), REPO, HEAD)
    assert len(runs) == 230
    assert [r.query.get("page", "1") for r in fake_github.calls("checks/list-for-ref")] == [
        "1",
        "2",
        "3",
    ]


async def test_filter_all_finds_a_run_a_rerun_replaced(fake_github: FakeGitHub) -> None:
    fake_github.add_check_run(REPO, head_sha=HEAD, name="Truth Engine", conclusion="neutral")
    fake_github.add_check_run(REPO, head_sha=HEAD, name="Truth Engine", conclusion="success")
    latest = await lists.check_runs(client(), REPO, HEAD, check_name="Truth Engine")
    every = await lists.check_runs(client(), REPO, HEAD, check_name="Truth Engine", filter_="all")
    assert len(latest) == 1 and len(every) == 2


async def test_jobs_annotations_files_and_commits_are_read_to_the_end(
    fake_github: FakeGitHub,
) -> None:
    for job in range(120):
        fake_github.add_workflow_job(
            REPO, run_id=7, job_id=job + 1, name=f"j{job}", conclusion="failure", log="x"
        )
    run = fake_github.add_check_run(REPO, head_sha=HEAD, name="lint", conclusion="failure")
    note = {"path": "a.py", "start_line": 1, "end_line": 1, "annotation_level": "failure",
            "message": "m"}  # fmt: skip
    fake_github.set_annotations(run["id"], [note] * 150)
    files = [{"filename": f"f{i}.py", "patch": "@@ -1 +1 @@\n-a\n+b"} for i in range(250)]
    fake_github.add_pull(REPO, 3, head_sha=HEAD, files=files)
    gh = client()
    assert len(await lists.workflow_jobs(gh, REPO, 7)) == 120
    assert len(await lists.check_annotations(gh, REPO, run["id"])) == 150
    assert len(await lists.pull_files(gh, REPO, 3)) == 250

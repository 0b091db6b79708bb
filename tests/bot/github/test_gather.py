"""Gathering from GitHub: safe tarball extraction, failure logs for Actions and other CI."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from bot.errors import UnsafeArchive
from bot.github.client import installation_client
from bot.github.gather import extract_tarball, failure_logs, pull_patches
from bot.settings import Settings
from tests.fixtures.github import FakeGitHub, make_tarball

REPO = "acme/series"
HEAD = "3c1f0e8a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e"
TOP = f"acme-series-{HEAD[:7]}"


def tarball(*members: tuple[tarfile.TarInfo, bytes | None]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def entry(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.mode = 0o644
    return info


def a_file(name: str, text: str = "x = 1\n") -> tuple[tarfile.TarInfo, bytes]:
    return entry(name), text.encode()


def test_a_github_tarball_is_extracted_under_its_top_folder(tmp_path: Path) -> None:
    data = make_tarball(TOP, {"series/differences.py": "def f():\n    pass\n", "README.md": "#"})

    root = extract_tarball(data, tmp_path / "checkout")

    assert root == tmp_path / "checkout" / TOP
    assert (root / "series" / "differences.py").read_text() == "def f():\n    pass\n"
    assert sorted(p.name for p in root.iterdir()) == ["README.md", "series"]


def test_links_that_stay_inside_the_checkout_are_kept(tmp_path: Path) -> None:
    data = tarball(
        a_file(f"{TOP}/docs/guide.md", "guide\n"),
        (entry(f"{TOP}/README.md", tarfile.SYMTYPE, "docs/guide.md"), None),
        (entry(f"{TOP}/copy.md", tarfile.LNKTYPE, f"{TOP}/docs/guide.md"), None),
    )

    root = extract_tarball(data, tmp_path / "checkout")

    assert (root / "README.md").is_symlink() and (root / "README.md").read_text() == "guide\n"
    assert (root / "copy.md").read_text() == "guide\n"


@pytest.mark.parametrize(
    ("member", "complaint"),
    [
        (a_file(f"{TOP}/../../evil.py"), "absolute or '..' path"),
        (a_file("/etc/cron.d/evil"), "absolute or '..' path"),
        (
            (entry(f"{TOP}/passwd", tarfile.SYMTYPE, "/etc/passwd"), None),
            "symlink to '/etc/passwd'",
        ),
        ((entry(f"{TOP}/up", tarfile.SYMTYPE, "../../.."), None), "symlink to '../../..'"),
        ((entry(f"{TOP}/shadow", tarfile.LNKTYPE, "../etc/shadow"), None), "hard link to"),
        ((entry(f"{TOP}/null", tarfile.CHRTYPE), None), "device or special file"),
        ((entry(f"{TOP}/disk", tarfile.BLKTYPE), None), "device or special file"),
        ((entry(f"{TOP}/pipe", tarfile.FIFOTYPE), None), "device or special file"),
    ],
    ids=["dotdot", "absolute", "symlink-abs", "symlink-up", "hardlink", "chr", "blk", "fifo"],
)
def test_entries_that_could_escape_the_checkout_are_refused(
    tmp_path: Path, member: tuple[tarfile.TarInfo, bytes | None], complaint: str
) -> None:
    data = tarball(a_file(f"{TOP}/ok.py"), member)
    destination = tmp_path / "checkout"

    with pytest.raises(UnsafeArchive) as refused:
        extract_tarball(data, destination)

    message = str(refused.value)
    assert repr(member[0].name) in message and complaint in message
    assert "refusing to extract this repository tarball" in message
    # Nothing at all is written: the check runs before any extraction.
    assert list(destination.iterdir()) == []
    assert not (tmp_path / "evil.py").exists()


def test_a_corrupt_tarball_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnsafeArchive, match="not a readable tar archive"):
        extract_tarball(b"this is not a tarball", tmp_path / "checkout")


# ---------------------------------------------------------------- logs through the fake GitHub


async def test_actions_logs_are_the_failed_jobs_logs_only(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_workflow_job(
        REPO, run_id=5, job_id=71, name="lint", conclusion="success", log="all good"
    )
    fake_github.add_workflow_job(
        REPO, run_id=5, job_id=72, name="tests", conclusion="failure", log="FAILED tests/a.py::t"
    )
    fake_github.add_workflow_job(
        REPO, run_id=5, job_id=73, name="slow", conclusion="timed_out", log="Timed out"
    )
    gh = installation_client(settings, 42)

    from_run = await failure_logs(gh, REPO, head_sha=HEAD, workflow_run_id=5)
    from_check_run = await failure_logs(
        gh, REPO, head_sha=HEAD, check_run_id=72, ci_app="github-actions"
    )

    assert from_run == "FAILED tests/a.py::t\nTimed out"
    assert from_check_run == "FAILED tests/a.py::t"


async def test_other_ci_reports_its_output_and_annotations(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    run = fake_github.add_check_run(
        REPO,
        head_sha=HEAD,
        name="ci/circleci: test",
        conclusion="failure",
        output={"title": "1 test failed", "summary": "test_sum failed", "text": "Traceback…"},
    )
    fake_github.set_annotations(
        run["id"],
        [
            {
                "path": "calc/sum.py",
                "start_line": 12,
                "end_line": 12,
                "annotation_level": "failure",
                "message": "AssertionError: assert 3 == 4",
            }
        ],
    )
    fake_github.add_check_run(REPO, head_sha=HEAD, name="ci/circleci: docs", conclusion="success")
    gh = installation_client(settings, 42)

    named = await failure_logs(
        gh, REPO, head_sha=HEAD, check_run_id=run["id"], ci_app="circleci-checks"
    )
    listed = await failure_logs(gh, REPO, head_sha=HEAD)  # a check_suite: every failing run

    assert named.splitlines() == [
        "ci/circleci: test: failure",
        "1 test failed",
        "test_sum failed",
        "Traceback…",
        "calc/sum.py:12: failure: AssertionError: assert 3 == 4",
    ]
    assert listed == named
    assert fake_github.calls("actions/download-job-logs-for-workflow-run") == []


async def test_calls_in_one_job_share_one_installation_token(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_pull(REPO, 7, head_sha=HEAD, files=[{"filename": "a.py", "patch": "@@"}])
    fake_github.add_workflow_job(
        REPO, run_id=5, job_id=72, name="tests", conclusion="failure", log="boom"
    )
    gh = installation_client(settings, 42)

    await failure_logs(gh, REPO, head_sha=HEAD, workflow_run_id=5)
    patches = await pull_patches(gh, REPO, 7)

    assert patches == {"a.py": "@@"}
    api_calls = [r for r in fake_github.requests if not r.path.endswith("/access_tokens")]
    assert {r.operation_id for r in api_calls} == {
        "actions/list-jobs-for-workflow-run",
        "actions/download-job-logs-for-workflow-run",
        "pulls/list-files",
    }
    assert fake_github.tokens_issued == 1
    tokens = {r.headers["authorization"] for r in api_calls}
    assert tokens == {"token ghs_fake1"}

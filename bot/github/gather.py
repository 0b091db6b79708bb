"""Gather a PR's material from GitHub: the tarball at the head SHA, failing CI logs, its files."""

from __future__ import annotations

import io
import logging
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any

from githubkit import GitHub
from githubkit.exception import RequestFailed

from bot.constants import CHECK_RUN_NAME
from bot.errors import UnsafeArchive
from bot.github import lists
from bot.github.client import split_repo

log = logging.getLogger(__name__)

FAILING = {"failure", "timed_out", "startup_failure"}
MAX_LOG_CHARS = 200_000
MAX_TARBALL_BYTES = 500 * 1024 * 1024


def _escapes(path: PurePosixPath) -> bool:
    """True when a relative archive path, once normalized, leaves the extraction folder."""
    if path.is_absolute():
        return True
    depth = 0
    for part in path.parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return True
    return False


def _check_member(member: tarfile.TarInfo) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        raise UnsafeArchive(
            f"archive entry {member.name!r} has an absolute or '..' path that escapes the "
            "checkout; refusing to extract this repository tarball"
        )
    if member.issym():
        # A symlink's target is relative to the folder holding the link.
        if _escapes(name.parent / member.linkname):
            raise UnsafeArchive(
                f"archive entry {member.name!r} is a symlink to {member.linkname!r}, outside "
                "the checkout; refusing to extract this repository tarball"
            )
    elif member.islnk():
        # A hard link's target is another entry of the archive, named from its root.
        if _escapes(PurePosixPath(member.linkname)):
            raise UnsafeArchive(
                f"archive entry {member.name!r} is a hard link to {member.linkname!r}, outside "
                "the checkout; refusing to extract this repository tarball"
            )
    elif not (member.isfile() or member.isdir()):
        raise UnsafeArchive(
            f"archive entry {member.name!r} is a device or special file, which a source "
            "repository never holds; refusing to extract this repository tarball"
        )


def extract_tarball(data: bytes, destination: Path) -> Path:
    """Extract GitHub's tarball (one top folder) into `destination`; returns the repo root.

    Rejects absolute paths, `..`, links pointing outside the checkout, and devices; the
    'data' filter is a second lock (it also drops set-uid bits and odd permissions).
    """
    destination.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            members = archive.getmembers()
            for member in members:
                _check_member(member)
            archive.extractall(destination, members=members, filter="data")
    except tarfile.FilterError as exc:
        raise UnsafeArchive(f"{exc}; refusing to extract this repository tarball") from exc
    except tarfile.TarError as exc:
        raise UnsafeArchive(
            "the repository tarball is not a readable tar archive (a truncated download or an "
            f"error page?): {type(exc).__name__}"
        ) from exc
    tops = [p for p in destination.iterdir() if p.is_dir()]
    return tops[0] if len(tops) == 1 else destination


async def download_repository(
    gh: GitHub[Any], repository: str, sha: str, destination: Path
) -> Path:
    owner, name = split_repo(repository)
    response = await gh.rest.repos.async_download_tarball_archive(owner, name, sha)
    if len(response.content) > MAX_TARBALL_BYTES:
        raise UnsafeArchive(f"the repository tarball is over {MAX_TARBALL_BYTES >> 20} MB")
    return extract_tarball(response.content, destination)


async def job_log(gh: GitHub[Any], repository: str, job_id: int) -> str:
    owner, name = split_repo(repository)
    response = await gh.rest.actions.async_download_job_logs_for_workflow_run(owner, name, job_id)
    return response.text[-MAX_LOG_CHARS:]


async def check_run_report(gh: GitHub[Any], repository: str, check_run_id: int) -> str:
    """For CI other than Actions: the check run's output and annotations, as log text."""
    owner, name = split_repo(repository)
    run = (await gh.rest.checks.async_get(owner, name, check_run_id)).parsed_data
    parts = [f"{run.name}: {run.conclusion}"]
    output = run.output
    parts += [t for t in (output.title, output.summary, output.text) if t]
    for note in await lists.check_annotations(gh, repository, check_run_id):
        parts.append(f"{note.path}:{note.start_line}: {note.annotation_level}: {note.message}")
    return "\n".join(parts)[-MAX_LOG_CHARS:]


async def failure_logs(
    gh: GitHub[Any],
    repository: str,
    *,
    head_sha: str,
    check_run_id: int | None = None,
    ci_app: str | None = None,
    workflow_run_id: int | None = None,
) -> str:
    """Logs of what failed: one check run, a workflow run's failed jobs, or every failing check."""
    texts: list[str] = []
    if workflow_run_id is not None:
        for job in await lists.workflow_jobs(gh, repository, workflow_run_id):
            if job.conclusion in FAILING:
                texts.append(await job_log(gh, repository, job.id))
        return "\n".join(texts)
    targets: list[tuple[int, str | None]] = []
    if check_run_id is not None:
        targets.append((check_run_id, ci_app))
    else:
        for run in await lists.check_runs(gh, repository, head_sha, status="completed"):
            slug = run.app.slug if run.app and isinstance(run.app.slug, str) else None
            if run.conclusion in FAILING and run.name != CHECK_RUN_NAME:
                targets.append((run.id, slug))
    for run_id, app in targets:
        try:
            # An Actions check run's id is its job id.
            texts.append(
                await job_log(gh, repository, run_id)
                if app == "github-actions"
                else await check_run_report(gh, repository, run_id)
            )
        except RequestFailed as exc:
            log.warning("no log for check run %s: HTTP %s", run_id, exc.response.status_code)
    return "\n".join(texts)


async def pull_patches(gh: GitHub[Any], repository: str, pull_number: int) -> dict[str, str | None]:
    """Each changed file's `patch` (its diff hunks); None where GitHub omits it (binary, huge)."""
    patches: dict[str, str | None] = {}
    for item in await lists.pull_files(gh, repository, pull_number):
        patch = getattr(item, "patch", None)
        patches[item.filename] = patch if isinstance(patch, str) else None
    return patches

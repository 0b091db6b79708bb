"""QA validation and --run-tests: run tests in clean sandboxes through the runner."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.settings import Settings
from bot.traces.local_source import CommitTests
from bot.traces.schema import Trace, Validation
from runner.errors import RunnerError
from runner.results import RunEnd, RunResult, TestStatus

Validator = Callable[[Trace], Validation]


def validation_from_run(run: RunResult) -> Validation:
    counts = _counts(run)
    passed = run.passed
    return Validation(
        status="passed" if passed else ("failed" if run.end is RunEnd.EXITED else "error"),
        tests_passed=passed if run.end in (RunEnd.EXITED, RunEnd.TIMEOUT) else None,
        command=run.command,
        runtime_s=round(run.duration_ms / 1000.0, 3),
        num_passed=counts[0],
        num_failed=counts[1],
        failed_tests=run.failing_tests(),
        image=run.image_id,
        reason=run.reason or f"exit code {run.exit_code}",
    )


def _counts(run: RunResult) -> tuple[int, int, int]:
    statuses = [o.status for o in run.tests.values()]
    failed = sum(s in (TestStatus.FAILED, TestStatus.ERROR) for s in statuses)
    if not statuses and not run.passed:
        failed = 1  # the command failed without a per-test report; count the run itself
    return statuses.count(TestStatus.PASSED), failed, statuses.count(TestStatus.SKIPPED)


def commit_tests_from_run(run: RunResult) -> CommitTests:
    passed, failed, skipped = _counts(run)
    return CommitTests(
        command=run.command,
        exit_code=run.exit_code,
        duration_ms=run.duration_ms,
        num_passed=passed,
        num_failed=failed,
        num_skipped=skipped,
        failed_tests=run.failing_tests(),
    )


def run_tree(tree: Path, command: str, settings: Settings) -> RunResult:
    from runner.docker_client import connect
    from runner.images import ensure_image
    from runner.sandbox import Sandbox
    from runner.snapshot import RepoSnapshot

    client = connect(settings.docker_host)
    try:
        image = ensure_image(client, settings.sandbox_image)
        snapshot = RepoSnapshot.from_path(tree)
        sandbox = Sandbox(client, image, settings.sandbox_limits).prepare(
            snapshot, settings.ca_bundle_path, egress=settings.egress_policy
        )
        return sandbox.run(snapshot, command)
    finally:
        client.close()


def _export_commit(repo: Path, sha: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", sha], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def run_commit_tests(
    repo: Path, base: str, head: str, command: str, settings: Settings
) -> tuple[dict[str, CommitTests], Validation]:
    """Each commit's tests in its own sandbox, in parallel; the head's run is the validation."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--reverse", f"{base}..{head}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    shas = listing.stdout.split()
    if listing.returncode != 0 or not shas:
        return {}, Validation(status="skipped", tests_passed=None,
                              reason=f"no commits in {base}..{head} to test")  # fmt: skip

    def one(sha: str) -> RunResult:
        with tempfile.TemporaryDirectory(prefix="truth-trace-") as tmp:
            _export_commit(repo, sha, Path(tmp))
            return run_tree(Path(tmp), command, settings)

    workers = settings.sandbox_parallelism or os.cpu_count() or 1
    try:
        with ThreadPoolExecutor(max_workers=min(workers, len(shas))) as pool:
            runs = dict(zip(shas, pool.map(one, shas), strict=True))
    except RunnerError as exc:
        return {}, Validation(status="error", tests_passed=None, command=command, reason=str(exc))
    return {sha: commit_tests_from_run(r) for sha, r in runs.items()}, validation_from_run(
        runs[shas[-1]]
    )


def snapshot_validator(settings: Settings, read_blob: Callable[[str, str], bytes]) -> Validator:
    """Validation for ingested traces: the repo.snapshot tar.gz artifact, tested in a sandbox."""

    def validate(trace: Trace) -> Validation:
        ref = trace.repo.snapshot
        if ref is None:
            return Validation(
                status="skipped", tests_passed=None,
                reason="no repo.snapshot artifact: upload a tar.gz of the tree at head to "
                "/v1/artifacts and reference it in repo.snapshot",
            )  # fmt: skip
        command = trace.repo.test_command or "python -m pytest -q"
        try:
            data = read_blob(ref.uri, ref.sha256)
            with tempfile.TemporaryDirectory(prefix="truth-validate-") as tmp:
                with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
                    tar.extractall(tmp, filter="data")
                return validation_from_run(run_tree(Path(tmp), command, settings))
        except (RunnerError, tarfile.TarError, OSError, ValueError) as exc:
            return Validation(status="error", tests_passed=None, command=command,
                              reason=f"{type(exc).__name__}: {exc}")  # fmt: skip

    return validate

"""Sandbox overhead benchmark: bare host pytest vs a cold sandboxed run; 8 candidates in parallel;
the cost of the stronger verdict (supervisor per run, K=3 confirmation re-runs).

Run: `.venv/bin/python bench/sandbox.py [--repeat N]`. Prints a table, then ONE JSON line.

Per-candidate overhead = median(sandboxed run) - median(bare `python -m pytest` on the host) for
the same tests. A cold run pays create + start + attach + remove on the engine.

Supervisor cost = median(supervised sandbox run) - median(the same container, same flags,
running `tar | pytest` directly as the test user, no supervisor). Decision ratio = time of a
verified decision with K=3 confirmation re-runs in parallel (verify + confirm) / one verify.

A warm pool would pre-create and start containers blocked in the supervisor's first `read` on
stdin (see runner/sandbox.py); handing one a snapshot then costs one write and one read on an
open socket, and removal happens off the critical path, which should bring the overhead near
30 ms. A
"zygote" (a pre-started python that has imported pytest and forks per run) would also hide the
~1 s of imports in the slow-import repo.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner.decision import confirm  # noqa: E402
from runner.docker_client import connect  # noqa: E402
from runner.images import ensure_image  # noqa: E402
from runner.limits import SandboxLimits  # noqa: E402
from runner.output import CappedBuffer, TrailerSplitter  # noqa: E402
from runner.results import RunEnd, RunResult  # noqa: E402
from runner.sandbox import SANDBOX_ENV, Sandbox  # noqa: E402
from runner.snapshot import RepoSnapshot  # noqa: E402
from runner.verify import verify, verify_many  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "runner" / "buggy"
RIGHT_PATCH = (ROOT / "tests" / "data" / "runner" / "right.patch").read_text()
COMMAND = "python -m pytest -q -p no:cacheprovider"
SLOW_IMPORT = '''"""A module whose import costs about a second, like a heavy scientific stack."""
import time

_started = time.perf_counter()
while time.perf_counter() - _started < 1.0:
    pass


def answer():
    return 42
'''


def slow_import_repo(folder: Path) -> Path:
    (folder / "tests").mkdir(parents=True)
    (folder / "heavy.py").write_text(SLOW_IMPORT)
    (folder / "tests" / "test_heavy.py").write_text(
        "from heavy import answer\n\n\ndef test_answer():\n    assert answer() == 42\n"
    )
    return folder


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000.0


def bare_pytest(repo: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "junit_family=xunit1",
            f"--junitxml={tempfile.gettempdir()}/bench-junit.xml",
        ],
        cwd=repo,
        capture_output=True,
        check=False,
        # Bare pytest: the project's dev plugins (asyncio, playwright, ...) are not under test.
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    if done.returncode not in (0, 1):  # 1 = the sample repo's deliberate failure
        raise SystemExit(f"bare pytest could not run in {repo}:\n{done.stdout.decode()[-2000:]}")


def checked(result: RunResult) -> RunResult:
    if result.end is not RunEnd.EXITED or not result.tests:
        raise SystemExit(f"sandboxed run did not complete: {result.end} {result.reason}")
    return result


def unsupervised_run(sandbox: Sandbox, snapshot: RepoSnapshot) -> None:
    """The same container and flags with no supervisor: the tests run straight from sh."""
    api = sandbox.client.api
    flags = sandbox.host_config()
    flags.pop("cap_add", None)
    created = api.create_container(
        sandbox.image,
        command=["sh", "-c", f"tar -xmf - -C /workspace && cd /workspace/repo && {COMMAND}"],
        user="10001:10001",
        working_dir="/workspace",
        environment=dict(SANDBOX_ENV),
        stdin_open=True,
        network_disabled=True,
        host_config=api.create_host_config(**flags),
    )
    try:
        out = CappedBuffer(1 << 20)
        splitter = TrailerSplitter(b"\nnever-printed", out, CappedBuffer(1))
        sandbox._stream(created["Id"], snapshot.archive_with({}), splitter, CappedBuffer(1 << 20))
        splitter.close()
        if b"passed" not in out.getvalue():
            raise SystemExit(f"unsupervised run did not run pytest: {out.text()[-500:]}")
    finally:
        api.remove_container(created["Id"], force=True)


def median_of(repeat: int, action: object) -> float:
    timed(action)  # warm-up: page cache, image layers, imports
    return statistics.median(timed(action) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    client = connect()
    image = ensure_image(client)
    sandbox = Sandbox(client, image, SandboxLimits(wall_seconds=60))
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Copied out of the project so its pytest config and conftest do not apply.
        sample = Path(shutil.copytree(SAMPLE, Path(tmp) / "sample"))
        repos = {"sample": sample, "slow_import": slow_import_repo(Path(tmp) / "slow")}
        for name, repo in repos.items():
            snapshot = RepoSnapshot.from_path(repo)
            bare = median_of(args.repeat, lambda repo=repo: bare_pytest(repo))
            boxed = median_of(args.repeat, lambda s=snapshot: checked(sandbox.run(s, COMMAND)))
            figures[f"{name}_bare_ms"] = round(bare, 1)
            figures[f"{name}_sandbox_ms"] = round(boxed, 1)
            figures[f"{name}_overhead_ms"] = round(boxed - bare, 1)
            figures[f"{name}_ratio"] = round(boxed / bare, 2)
            print(
                f"{name:12} bare {bare:8.1f} ms  sandbox {boxed:8.1f} ms  "
                f"overhead {boxed - bare:7.1f} ms",
                file=sys.stderr,
            )

        snapshot = RepoSnapshot.from_path(SAMPLE)
        # The engine's own cost: a sandboxed `true`, with no Python at all.
        figures["container_floor_ms"] = round(
            median_of(args.repeat, lambda: sandbox.run(snapshot, "true")), 1
        )
        supervised = median_of(args.repeat, lambda: checked(sandbox.run(snapshot, COMMAND)))
        unsupervised = median_of(args.repeat, lambda: unsupervised_run(sandbox, snapshot))
        figures["supervised_run_ms"] = round(supervised, 1)
        figures["unsupervised_run_ms"] = round(unsupervised, 1)
        figures["supervisor_added_ms"] = round(supervised - unsupervised, 1)
        baseline = sandbox.run(snapshot, COMMAND)

        def decision() -> None:
            first = verify(sandbox, snapshot, RIGHT_PATCH, COMMAND, baseline)
            confirmed = confirm(sandbox, snapshot, RIGHT_PATCH, first, COMMAND, times=3)
            if not confirmed.verified:
                raise SystemExit(f"the right patch was not confirmed: {confirmed.reason}")

        decided = median_of(max(1, args.repeat // 2), decision)
        patches = [RIGHT_PATCH] * 8
        one = median_of(
            args.repeat, lambda: verify(sandbox, snapshot, RIGHT_PATCH, COMMAND, baseline)
        )
        sequential = median_of(
            max(1, args.repeat // 2),
            lambda: [verify(sandbox, snapshot, p, COMMAND, baseline) for p in patches],
        )
        parallel = median_of(
            max(1, args.repeat // 2),
            lambda: verify_many(sandbox, snapshot, patches, COMMAND, baseline, parallelism=8),
        )
    figures |= {
        "verified_decision_k3_ms": round(decided, 1),
        "decision_k3_over_one_run": round(decided / one, 2),
        "one_candidate_ms": round(one, 1),
        "eight_sequential_ms": round(sequential, 1),
        "eight_parallel_ms": round(parallel, 1),
        "parallel_speedup": round(sequential / parallel, 2),
        "parallel_per_candidate_ms": round(parallel / 8, 1),
        "repeat": args.repeat,
    }
    print(
        f"8 candidates: sequential {sequential:.0f} ms, parallel {parallel:.0f} ms "
        f"(x{sequential / parallel:.2f}); one candidate {one:.0f} ms",
        file=sys.stderr,
    )
    print(
        f"supervisor adds {figures['supervisor_added_ms']:.0f} ms per run; a verified decision "
        f"with K=3 re-runs takes {decided:.0f} ms = {decided / one:.2f} x one run",
        file=sys.stderr,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Real-repository benchmark: tiered verification speed on a 60 s suite, and dependency reuse.

Run: `.venv/bin/python bench/realrepos.py [--seconds-per-test 2]`. Prints lines, then ONE JSON line.

1. tests/data/repos/slow_suite: 30 tests of ~2 s each, one failing. The full suite (the
   baseline) is timed; then a wrong candidate (wrong.patch) and the right one (fix.patch) are
   verified tiered. `reject_ratio` = time to the wrong candidate's verdict / full-suite time
   (aim <= 0.3: it is dropped after running only the target test); `verify_ratio` is the same
   for the right candidate, which must also pass the full suite once (so about 1 + a little).
2. tests/data/repos/setup_py_only, twice: the first session with a never-seen setup.py (so it
   installs: 1), the second with only its README edited: how many dependency images the second
   session builds (aim: 0) and how long each preparation took.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner.deps import DEPS_REPOSITORY  # noqa: E402
from runner.docker_client import connect  # noqa: E402
from runner.limits import SandboxLimits  # noqa: E402
from runner.session import Options, make_ready, run_baseline  # noqa: E402
from runner.snapshot import RepoSnapshot  # noqa: E402
from runner.tiered import verify_tiered  # noqa: E402

REPOS = ROOT / "tests" / "data" / "repos"


def say(message: str) -> None:
    print(message, file=sys.stderr)


def tiered(client, seconds: float) -> dict[str, float]:
    snapshot = RepoSnapshot.from_path(REPOS / "slow_suite")
    options = Options(env={"SLOW_TEST_SECONDS": str(seconds)})
    ready = make_ready(client, snapshot, SandboxLimits(), options, say)
    baseline = run_baseline(ready, snapshot, say)
    full = baseline.duration_ms / 1000.0
    timings = {"full_suite_s": round(full, 1)}
    for name in ("wrong", "fix"):
        patch = (REPOS / "slow_suite" / f"{name}.patch").read_text()
        start = time.monotonic()
        verdict = verify_tiered(
            ready.sandbox, snapshot, patch, ready.command, baseline, None, ready.context,
            ready.baseline_limit,
        )  # fmt: skip
        took = time.monotonic() - start
        say(f"{name}.patch: {verdict.verdict.value} in {took:.1f} s ({verdict.reason})")
        timings[f"{name}_verdict"] = verdict.verdict.value  # type: ignore[assignment]
        timings[f"{name}_s"] = round(took, 1)
    timings["reject_ratio"] = round(timings["wrong_s"] / full, 3)
    timings["verify_ratio"] = round(timings["fix_s"] / full, 3)
    return timings


def reuse(client) -> dict[str, float]:
    def deps_images() -> set[str]:
        return {str(image.id) for image in client.images.list(DEPS_REPOSITORY)}

    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="truth-bench-") as work:
        for session in (1, 2):
            tree = Path(work) / f"session{session}"
            shutil.copytree(REPOS / "setup_py_only", tree)
            (tree / "README.md").write_text(f"# calc\n\nEdited for session {session}.\n")
            if session == 1:  # a dependency input never seen before: this session must install
                setup = tree / "setup.py"
                setup.write_text(f"{setup.read_text()}# bench run {time.time_ns()}\n")
            before = deps_images()
            start = time.monotonic()
            make_ready(client, RepoSnapshot.from_path(tree), SandboxLimits(), Options(), say)
            result[f"session{session}_prepare_s"] = round(time.monotonic() - start, 1)
            result[f"session{session}_installs"] = len(deps_images() - before)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds-per-test", type=float, default=2.0)
    args = parser.parse_args()
    client = connect()
    figures = {**tiered(client, args.seconds_per_test), **reuse(client)}
    print(f"reject ratio (wrong candidate verdict / full suite): {figures['reject_ratio']}")
    print(f"verify ratio (right candidate verdict / full suite): {figures['verify_ratio']}")
    print(f"second session dependency installs: {figures['session2_installs']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

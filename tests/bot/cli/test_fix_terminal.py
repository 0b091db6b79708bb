"""`truth fix` in a real terminal (tmux, 80 by 24): a run without a fix fits in one screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.docker, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "no_fix"
ROWS, COLUMNS = 24, 80
DONE = "TRUTH-EXIT="
RUN_SECONDS = 900


@pytest.fixture
def tmux() -> Iterator[list[str]]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: run `bash deploy/bootstrap.sh` (apt-get install tmux)")
    command = ["tmux", "-L", f"truth-test-{os.getpid()}"]  # a server of this test's own
    yield command
    subprocess.run([*command, "kill-server"], capture_output=True, check=False)


@pytest.mark.timeout(RUN_SECONDS + 60)
def test_a_run_without_a_fix_fits_in_one_screen(
    tmux: list[str], tmp_path: Path, sandbox_image: str
) -> None:
    env = {
        "TRUTH_STATE_DIR": str(tmp_path / "state"),
        "TRUTH_SANDBOX_IMAGE": sandbox_image,
        "TRUTH_PUBLIC_URL": "http://127.0.0.1:9",  # nothing listens: the line says to serve
        "TRUTH_MODEL": "",
    }
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    shell = f"env -u TRUTH_MODEL {exports} {sys.executable} -m bot fix {EXAMPLE}; "
    shell += f"echo {DONE}$?; sleep {RUN_SECONDS}"
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "fix", "-x", str(COLUMNS), "-y", str(ROWS), shell],
        check=True,
    )
    deadline = time.monotonic() + RUN_SECONDS
    screen = ""
    while DONE not in screen:
        assert time.monotonic() < deadline, f"truth fix did not finish:\n{screen}"
        time.sleep(2)
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "fix"], capture_output=True, text=True
        ).stdout
    scrolled = subprocess.run(
        [*tmux, "display", "-p", "-t", "fix", "#{history_size}"], capture_output=True, text=True
    ).stdout.strip()

    assert scrolled == "0", f"{scrolled} lines scrolled off the screen:\n{screen}"
    assert f"{DONE}1" in screen  # no verified fix
    assert "No verified fix" in screen and "candidates tried" in screen
    # Identical outcomes grouped, each with its whole test id and its assertion.
    assert "still fails tests/test_primes.py::test_odd_composites_are_not_prime: assert" in (
        screen.replace("\n", " ")
    )
    assert screen.count("No verified fix:") == 1  # the outcome is printed once
    assert "Session: http://127.0.0.1:9/sessions/" in screen and "truth serve" in screen

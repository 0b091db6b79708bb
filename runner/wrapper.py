"""The sh wrapper that runs inside each sandbox container, and the trailer it reports back."""

from __future__ import annotations

import base64
import binascii
import contextlib
from dataclasses import dataclass

WORKSPACE = "/workspace"
REPO_DIR = f"{WORKSPACE}/repo"  # where the wrapper unpacks the repository
JUNIT_PATH = f"{WORKSPACE}/truth/junit.xml"
DEFAULT_TEST_COMMAND = "python -m pytest -q -p no:cacheprovider"
TRAILER_LIMIT = 64 * 1024 * 1024
PATCH_FAILED_EXIT = 97

WRAPPER = r"""
IFS= read -r mark || exit 90
tar -xmf - -C /workspace || exit 91
cd /workspace/repo 2>/dev/null || mkdir -p /workspace/repo && cd /workspace/repo || exit 92
mkdir -p /workspace/truth
plog=/workspace/truth/patch.log
patch_status=none
strategy=-
if [ -f /workspace/truth/patch.diff ]; then
    patch_status=failed
    if git apply --whitespace=nowarn /workspace/truth/patch.diff 2>"$plog"; then
        patch_status=applied; strategy=git-apply
    elif git apply --recount --whitespace=nowarn -C1 /workspace/truth/patch.diff 2>>"$plog"; then
        patch_status=applied; strategy=git-apply-recount
    elif patch -p1 --fuzz=2 --batch --forward --no-backup-if-mismatch -r - \
            -i /workspace/truth/patch.diff >>"$plog" 2>&1; then
        patch_status=applied; strategy=patch-fuzz
    fi
fi
if [ "$patch_status" = failed ]; then
    code=97
else
    sh -c "$1" </dev/null
    code=$?
fi
printf '\n%s\n%s %s %s\n' "$mark" "$code" "$patch_status" "$strategy"
if [ -s /workspace/truth/junit.xml ]; then base64 -w0 /workspace/truth/junit.xml; else printf -; fi
printf '\n'
if [ -s "$plog" ]; then base64 -w0 "$plog"; else printf -; fi
printf '\n'
exit "$code"
"""


def with_junit(command: str | None, hang_dump_seconds: float | None = None) -> str:
    """The test command with a JUnit report requested when it runs pytest, and, when
    `hang_dump_seconds` is given, a faulthandler stack dump of any test still running by then
    (so a run killed at the wall limit still says where it hung)."""
    if not command or not command.strip():
        command = DEFAULT_TEST_COMMAND
    words = command.replace("&&", " ").replace(";", " ").split()
    runs_pytest = any(w == "pytest" or w.endswith("/pytest") or w == "py.test" for w in words)
    if not runs_pytest:
        return command
    if "--junitxml" not in command and "--junit-xml" not in command:
        command = f"{command} -o junit_family=xunit1 --junitxml={JUNIT_PATH}"
    if hang_dump_seconds and "faulthandler_timeout" not in command:
        command = f"{command} -o faulthandler_timeout={hang_dump_seconds:g}"
    return command


@dataclass
class Trailer:
    exit_code: int
    patch_status: str
    strategy: str
    junit: bytes
    patch_log: str


def parse_trailer(raw: bytes) -> Trailer | None:
    """The wrapper's report (text after the marker), or None when it is missing or mangled."""
    lines = raw.decode("ascii", "replace").split("\n")
    if len(lines) < 4:
        return None
    head = lines[1].split()
    if len(head) != 3 or not head[0].lstrip("-").isdigit():
        return None

    def decode(field: str) -> bytes:
        with contextlib.suppress(binascii.Error, ValueError):
            return b"" if field == "-" else base64.b64decode(field, validate=True)
        return b""

    return Trailer(
        int(head[0]),
        head[1],
        head[2],
        decode(lines[2]),
        decode(lines[3]).decode("utf-8", "replace"),
    )

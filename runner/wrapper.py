"""What runs inside each sandbox container: the tree preparation script and the test command."""

from __future__ import annotations

import re
import shlex

WORKSPACE = "/workspace"
REPO_DIR = f"{WORKSPACE}/repo"  # where the repository is unpacked
DEFAULT_TEST_COMMAND = "python -m pytest -q -p no:cacheprovider"
PATCH_FAILED_EXIT = 97

# Runs as the test user with the tar stream on stdin. The last line of stdout is the status:
# "applied <strategy>", "none -", "failed -" or "error <step>"; stderr is the patch log.
PREPARE = r"""
tar -xmf - -C /workspace || { echo "error unpack"; exit 91; }
mkdir -p /workspace/repo /workspace/truth && cd /workspace/repo || { echo "error cd"; exit 92; }
diff=/workspace/truth/patch.diff
if [ ! -f "$diff" ]; then echo "none -"; exit 0; fi
if git apply --whitespace=nowarn "$diff"; then
    strategy=git-apply
elif git apply --recount --whitespace=nowarn -C1 "$diff"; then
    strategy=git-apply-recount
elif patch -p1 --fuzz=2 --batch --forward --no-backup-if-mismatch -r - -i "$diff" >&2; then
    strategy=patch-fuzz
else
    echo "failed -"; exit 97
fi
# The measurement (tests, their configuration, CI) is the baseline's, whatever the patch did:
# files it added there are removed, files it changed or deleted come back.
removed=/workspace/truth/remove.txt
if [ -f "$removed" ]; then
    while IFS= read -r name; do rm -rf -- "/workspace/repo/$name"; done < "$removed"
fi
if [ -d /workspace/truth/frozen ]; then
    cp -R /workspace/truth/frozen/. /workspace/repo/ || { echo "error restore"; exit 93; }
fi
echo "applied $strategy"
"""

_UNITTEST = re.compile(r"^\s*(python3?|python3\.\d+)\s+-m\s+unittest\b(.*)$")


def _unittest_target(name: str, known_files: frozenset[str]) -> str | None:
    """`pkg.test_mod.Case.test_x` as a pytest node id, when a prefix names a known file."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        path = "/".join(parts[:cut]) + ".py"
        if path in known_files:
            return "::".join([path, *parts[cut:]])
    if name.endswith(".py") or "/" in name:
        return name
    return None


def command_to_run(command: str | None, known_files: frozenset[str] = frozenset()) -> str:
    """The command to run: the default pytest run, or the given one, with `python -m unittest`
    runs moved onto pytest (which runs unittest cases too) so every test reports on its own."""
    if not command or not command.strip():
        return DEFAULT_TEST_COMMAND
    found = _UNITTEST.match(command)
    if found is None or any(c in command for c in "&|;`$<>"):
        return command
    python, rest = found.group(1), shlex.split(found.group(2))
    if rest[:1] == ["discover"]:
        rest = rest[1:]
        start = rest[rest.index("-s") + 1] if "-s" in rest[:-1] else ""
        return f"{python} -m pytest -q {shlex.quote(start)}".rstrip()
    targets = [_unittest_target(word, known_files) for word in rest if not word.startswith("-")]
    if any(t is None for t in targets):
        return command
    return " ".join([python, "-m", "pytest", "-q", *(shlex.quote(str(t)) for t in targets)])


def runs_pytest(command: str) -> bool:
    words = command.replace("&&", " ").replace(";", " ").split()
    return any(w == "pytest" or w.endswith("/pytest") or w == "py.test" for w in words)


def pytest_addopts(plugin: str, hang_dump_seconds: float | None) -> str:
    """PYTEST_ADDOPTS for the test process: the evidence plugin, and a faulthandler stack dump
    of any test still running after `hang_dump_seconds` (so a hung run still says where)."""
    options = f"-p {plugin}"
    if hang_dump_seconds:
        options += f" -o faulthandler_timeout={hang_dump_seconds:g}"
    return options

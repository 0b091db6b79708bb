"""The test command as people write it (`pytest`, `tox -e py`, `make test`, …) made runnable in
the prepared environment, and targets and xdist added to pytest commands."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from runner.discovery.tox import read_tox

DEFAULT = "python -m pytest -q -p no:cacheprovider"
_PYTEST = re.compile(r"(^|\s|/)(py\.test|pytest)(\s|$)|python3?\s+-m\s+pytest")
_MAKE_VAR = re.compile(r"^([A-Za-z_][\w]*)\s*[:?]?=\s*(.*)$")


@dataclass(frozen=True)
class TestCommand:
    __test__ = False  # not a pytest test class, despite the name

    command: str
    how: str  # where it came from, for progress and proofs

    @property
    def runs_pytest(self) -> bool:
        return bool(_PYTEST.search(self.command))


def _tox(command: str, read: Callable[[str], str | None]) -> TestCommand | None:
    words = shlex.split(command)
    env = next((w for i, w in enumerate(words) if i and words[i - 1] == "-e"), None)
    text = read("tox.ini")
    found = read_tox("tox.ini", text, env) if text else None
    if not found or not found.commands:
        return None
    joined = " && ".join(found.commands)
    if found.setenv:  # e.g. DJANGO_SETTINGS_MODULE: the tests need tox's environment too
        pairs = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(found.setenv.items()))
        joined = f"export {pairs}; {joined}"
    return TestCommand(joined, f"`{command}` runs [testenv{':' + env if env else ''}] of tox.ini")


def _make(command: str, read: Callable[[str], str | None]) -> TestCommand | None:
    words = command.split()
    target = words[1] if len(words) > 1 else "test"
    text = read("Makefile")
    if text is None:
        return None
    variables: dict[str, str] = {}
    recipe: list[str] = []
    inside = False
    for line in text.splitlines():
        if inside and line.startswith("\t"):
            recipe.append(line.strip().lstrip("@-").strip())
            continue
        inside = False
        match = _MAKE_VAR.match(line)
        if match and not line.startswith("\t"):
            variables.setdefault(match.group(1), match.group(2).strip())
        elif re.match(rf"^{re.escape(target)}\s*:(?!=)", line):
            inside = True
    if not recipe:
        return None
    joined = " && ".join(recipe)
    for _ in range(3):
        joined = re.sub(r"\$[({](\w+)[)}]", lambda m: variables.get(m.group(1), m.group(0)), joined)
    if "$" in joined or re.search(r"(^|\s)(tox|make)\s", joined):
        return None  # leave anything make would expand differently to make itself
    return TestCommand(joined, f"`{command}` runs the Makefile recipe of `{target}`")


def resolve(command: str | None, read: Callable[[str], str | None]) -> TestCommand:
    """The command to run; `tox`/`make` are replaced by what they would run, since tox needs
    network to build its own environments and the prepared venv already holds the deps."""
    if not command or not command.strip():
        return TestCommand(DEFAULT, "the default (no test_command configured)")
    command = command.strip()
    if re.match(r"^tox(\s|$)", command):
        return _tox(command, read) or TestCommand(command, "as given (tox.ini has no commands)")
    if re.match(r"^make(\s|$)", command):
        return _make(command, read) or TestCommand(command, "as given (run by make)")
    return _unittest(command, read) or TestCommand(command, "as given")


def _unittest(command: str, read: Callable[[str], str | None]) -> TestCommand | None:
    """`python -m unittest …` run by pytest, which runs the same TestCase classes and reports
    each test (unittest's exit code alone cannot show which tests failed)."""
    match = re.fullmatch(r"python3?\s+-m\s+unittest(\s+.*)?", command)
    if not match:
        return None
    words = shlex.split(match.group(1) or "")
    targets, pattern = [], None
    rest = iter(w for w in words if w not in ("-v", "--verbose", "-q", "--quiet", "-b", "-f"))
    for word in rest:
        if word in ("-s", "--start-directory"):
            targets.append(next(rest, "."))
        elif word in ("-p", "--pattern"):
            pattern = next(rest, None)
        elif word in ("-t", "--top-level-directory"):
            next(rest, None)
        elif word == "discover" or word.startswith("-"):
            continue
        elif re.fullmatch(r"[\w.]+", word) and not word.endswith(".py"):
            targets.append(_node_id(word, read))
        else:
            targets.append(word)
    option = f" -o python_files={shlex.quote(pattern)}" if pattern else ""
    runs = " ".join(shlex.quote(t) for t in targets)
    return TestCommand(
        f"python -m pytest{option} {runs}".strip(),
        f"`{command}` runs through pytest (the same unittest cases, reported test by test)",
    )


def _node_id(dotted: str, read: Callable[[str], str | None]) -> str:
    """`tests.test_calc.TestAdd.test_one` -> `tests/test_calc.py::TestAdd::test_one`."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        path = "/".join(parts[:end]) + ".py"
        if read(path) is not None:
            return "::".join([path, *parts[end:]])
    return "/".join(parts) + ".py"


def with_targets(command: str, targets: list[str], stop_first: bool = True) -> str:
    """A pytest command narrowed to the target test ids, stopping at the first failure."""
    ids = " ".join(shlex.quote(t) for t in targets)
    return f"{command}{' -x' if stop_first else ''} {ids}".strip()


def with_xdist(command: str, declared: dict[str, str | None]) -> str:
    """Use the repository's own parallel runner when it declares pytest-xdist."""
    if "pytest-xdist" not in declared or re.search(r"\s-n\s|--numprocesses", command):
        return command
    return f"{command} -n auto"

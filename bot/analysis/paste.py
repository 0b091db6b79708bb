"""A pasted bug taken apart: the code, the error log (a Python traceback or pytest's output),
the file the code lives in, the libraries it imports, and a reproduction test written from the
log, the call that raised or the failing test (pure).

The reproduction is what must fail before any fix is tried: it is shown to the person, who can
edit it, and it runs in the sandbox under the same rules as every other test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from bot.analysis.failures import Failure, Frame
from bot.analysis.libraries import libraries_in_source
from bot.analysis.smart_paste import split_traces
from bot.analysis.tracebacks import parse_tracebacks

DEFAULT_MODULE = "snippet.py"
TEST_FILE = "test_reproduction.py"
# pytest's report of a failing test: its header, the source with `>` at the failing line, the
# `E` lines, and the location line that ends it.
PYTEST_HEADER = re.compile(r"^_{3,} .+ _{3,}$")
PYTEST_END = re.compile(r"^(E\s.*|\S+\.py:\d+: \w+.*)$")
PYTEST_TEST_DEF = re.compile(r"^ {4}(async )?def (test\w*)\(")


@dataclass(frozen=True)
class PasteParts:
    code: str
    log: str
    module: str  # the code's file name in the sandbox, e.g. "stats.py"
    exception: str = ""  # "ZeroDivisionError: division by zero"; "" without a traceback
    reproduction: str = ""  # a pytest test file; "" when none could be written
    how: str = ""  # where the reproduction came from, or why there is none
    libraries: list[str] = field(default_factory=list)

    @property
    def exception_type(self) -> str:
        return self.exception.split(":", 1)[0]


def _pytest_region(lines: list[str]) -> tuple[int, int] | None:
    """Where pytest's report of a failure sits: from its `___ test ___` header (or the test's
    `def`) to its last `E` line or `file.py:N: Error` line; None without one."""
    starts = [i for i, line in enumerate(lines) if PYTEST_HEADER.match(line)]
    starts = starts or [i for i, line in enumerate(lines) if PYTEST_TEST_DEF.match(line)]
    if not starts:
        return None
    ends = [i for i in range(starts[0], len(lines)) if PYTEST_END.match(lines[i])]
    if not ends or not any(lines[i].startswith(">") for i in range(starts[0], ends[-1])):
        return None
    return starts[0], ends[-1] + 1


def separate(text: str) -> tuple[str, str]:
    """(code, log): tracebacks and pytest's failure report go to the log, the rest is code."""
    lines = text.replace("\r\n", "\n").split("\n")
    region = _pytest_region(lines)
    log: list[str] = []
    if region is not None:
        start, end = region
        log.append("\n".join(lines[start:end]).strip("\n"))
        lines = lines[:start] + lines[end:]
    code: list[str] = []
    for block in split_traces("\n".join(lines)):
        (log if block.kind == "traceback" else code).append(block.text)
    joined = "\n\n".join(code).strip("\n")
    return (joined + "\n" if joined else ""), "\n\n".join(log).strip("\n")


def module_name(code: str, frames: list[Frame]) -> str:
    """The file the traceback names for the pasted code (`stats.py`), else snippet.py."""
    lines = {line.strip() for line in code.splitlines() if line.strip()}
    for frame in frames:
        name = PurePosixPath(frame.file.replace("\\", "/")).name
        stem = name.removesuffix(".py")
        pasted = bool(frame.code) and frame.code.strip() in lines
        if pasted and name.endswith(".py") and stem.isidentifier() and not stem.startswith("test"):
            return name
    return DEFAULT_MODULE


def _in_code(frame: Frame, lines: set[str], module: str) -> bool:
    name = PurePosixPath(frame.file.replace("\\", "/")).name
    return name == module or bool(frame.code and frame.code.strip() in lines)


def _script_test(module: str) -> str:
    return (
        "import runpy\nfrom pathlib import Path\n\n\n"
        "def test_the_pasted_script_runs():\n"
        f'    """The traceback came from running {module} itself: it must run to its end."""\n'
        f'    runpy.run_path(str(Path(__file__).with_name("{module}")), run_name="__main__")\n'
    )


def _call_test(module: str, call: str, raised: str) -> str:
    statement = call.removeprefix("return ").strip()
    return (
        f"from {module.removesuffix('.py')} import *  # noqa: F403 (the pasted code)\n\n\n"
        "def test_the_call_that_raised():\n"
        f'    """The call the traceback shows raising {raised}: it must not raise."""\n'
        f"    {statement}\n"
    )


def from_traceback(code: str, failure: Failure, module: str) -> tuple[str, str]:
    """(test, how) for a Python traceback: the pasted script run whole when the traceback
    starts in it, else the caller's line that called into the pasted code."""
    lines = {line.strip() for line in code.splitlines() if line.strip()}
    frames = failure.frames
    inside = [i for i, frame in enumerate(frames) if _in_code(frame, lines, module)]
    if not inside:
        return "", (
            "the traceback's frames do not point into the pasted code: write a test that calls "
            "it the way that failed"
        )
    first = inside[0]
    if first == 0:
        return _script_test(module), f"runs {module} as the traceback did (it started there)"
    caller = frames[first - 1]
    if not caller.code:
        return "", "the traceback does not show the line that called the pasted code"
    raised = failure.exc_type
    how = f"repeats `{caller.code.strip()}` from {caller.file}:{caller.line}, which raised {raised}"
    return _call_test(module, caller.code, raised), how


def from_pytest(log: str, module: str) -> tuple[str, str]:
    """(test, how) from pytest's report: the failing test's source as pytest printed it, up to
    the failing line marked `>`; ("", "") when the log holds none."""
    lines = log.splitlines()
    for start, line in enumerate(lines):
        found = PYTEST_TEST_DEF.match(line)
        if not found:
            continue
        body: list[str] = []
        for source in lines[start:]:
            if source.startswith(("E ", "E\t")) or not source.strip():
                if body and body[-1].startswith(">"):
                    break
                continue
            body.append(source)
            if source.startswith(">"):
                break
        if body and body[-1].startswith(">"):
            text = "\n".join(" " + b[1:] if b.startswith(">") else b for b in body)
            header = f"from {module.removesuffix('.py')} import *  # noqa: F403 (the pasted code)"
            test = header + "\n\n\n" + "\n".join(t[4:] for t in text.splitlines()) + "\n"
            return test, f"the failing test {found.group(2)} as pytest reported it"
    return "", ""


def _pytest_exception(log: str) -> str:
    """`AssertionError: assert 3 == 2.5` from pytest's `E` line and its location line."""
    located = re.findall(r"^\S+\.py:\d+: (\w+)", log, re.M)
    first = re.search(r"^E\s+(\S.*)$", log, re.M)
    if not located:
        return ""
    return f"{located[-1]}: {first.group(1)}" if first else located[-1]


def analyze(code_text: str, log_text: str = "") -> PasteParts:
    """Take a paste apart; a traceback pasted into the code moves to the log."""
    code, moved = separate(code_text)
    log = "\n\n".join(part for part in (moved, log_text.strip("\n")) if part)
    failures = parse_tracebacks(log)
    failure = failures[-1] if failures else None
    module = module_name(code, failure.frames if failure else [])
    test, how = from_pytest(log, module)
    if not test and failure is not None:
        test, how = from_traceback(code, failure, module)
    elif not test:
        how = "no traceback in the log: write a test that calls the code the way that failed"
    exception = f"{failure.exc_type}: {failure.message}".strip(": ") if failure else ""
    if not exception:
        exception = _pytest_exception(log)
    own = frozenset({module.removesuffix(".py")})
    return PasteParts(code, log, module, exception, test, how, libraries_in_source(code, own))

"""Parse faulthandler's dumps of hung tests (pytest's `faulthandler_timeout`) into failures."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

from bot.analysis.failures import Category, Failure, Frame, is_test_path

TIMEOUT_HEADER = re.compile(r"^Timeout \((?P<after>[\d:.]+)\)!$")
THREAD_HEADER = re.compile(
    r"^(?:Current thread|Thread) 0x[0-9a-fA-F]+ \(most recent call first\):$"
)
DUMP_FRAME = re.compile(r'^File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<func>.+)$')
# Lines faulthandler prints in place of frames: a depth cut-off, or a thread in C code.
FILLER = ("...", "<no Python frame>")

PathFixer = Callable[[str], tuple[str, bool]]


def parse_hangs(text: str, fix_path: PathFixer, repo_root: Path | None = None) -> list[Failure]:
    """One `Timeout` failure per dump, from the thread that runs the test, innermost frame last."""
    lines = text.splitlines()
    failures: list[Failure] = []
    i = 0
    while i < len(lines):
        header = TIMEOUT_HEADER.match(lines[i].strip())
        if not header:
            i += 1
            continue
        threads, end = _threads(lines, i + 1)
        frames = _frames(_test_thread(threads, fix_path), fix_path, repo_root)
        failures.append(_failure(header.group("after"), frames, "\n".join(lines[i:end]), repo_root))
        i = max(end, i + 1)
    return failures


def _threads(lines: list[str], i: int) -> tuple[list[list[tuple[str, int, str]]], int]:
    """Every thread's (file, line, function) frames as printed, most recent first."""
    threads: list[list[tuple[str, int, str]]] = []
    while i < len(lines):
        stripped = lines[i].strip()
        frame = DUMP_FRAME.match(stripped)
        if THREAD_HEADER.match(stripped):
            threads.append([])
        elif frame and threads:
            threads[-1].append((frame.group("file"), int(frame.group("line")), frame.group("func")))
        elif stripped and stripped not in FILLER:
            break
        i += 1
    return threads, i


def _test_thread(
    threads: list[list[tuple[str, int, str]]], fix_path: PathFixer
) -> list[tuple[str, int, str]]:
    """The thread running a test function, else the one deepest in the repository's code."""

    def rank(thread: list[tuple[str, int, str]]) -> tuple[bool, int]:
        in_repo = [(fix_path(file), func) for file, _, func in thread]
        runs_test = any(
            ok and is_test_path(path) and func.startswith("test") for (path, ok), func in in_repo
        )
        return runs_test, sum(ok for (_, ok), _ in in_repo)

    return max(threads, key=rank, default=[])


def _frames(
    thread: list[tuple[str, int, str]], fix_path: PathFixer, repo_root: Path | None
) -> list[Frame]:
    frames = []
    for raw, line, function in reversed(thread):
        path, in_repo = fix_path(raw)
        code = _source_line(repo_root, path, line) if in_repo else ""
        frames.append(Frame(path, line, function, code, in_repo))
    return frames


def _failure(after: str, frames: list[Frame], output: str, repo_root: Path | None) -> Failure:
    test = next(
        (f for f in frames if f.in_repo and f.is_test_file and f.function.startswith("test")),
        None,
    )
    test_id = None if test is None else f"{test.file}::{_qualified(repo_root, test)}"
    inner = next((f for f in reversed(frames) if f.in_repo and not f.is_test_file), None)
    where = f" in {inner.function}() at {inner.file}:{inner.line}" if inner else ""
    # Not called an endless loop here: the dump comes before the run's time limit, which may
    # be set lower than the test needs; the run's own reason names the limit.
    message = f"still running after {_seconds(after)}{where}, stopped before it finished"
    return Failure(test_id, "Timeout", message, frames, output, Category.TIMEOUT_RECURSION)


def _seconds(after: str) -> str:
    """faulthandler's `0:00:01.800000` as `1.8 s` (or as printed, if it is not that shape)."""
    try:
        hours, minutes, seconds = after.split(":")
        total = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except ValueError:
        return after
    return f"{total:.3g} s" if total < 100 else f"{total:.0f} s"


def _qualified(repo_root: Path | None, test: Frame) -> str:
    """`TestClass::test_name` when the test file shows the function inside a class."""
    tree = _parse(repo_root, test.file)
    if tree is None:
        return test.function
    path = _enclosing(tree, test.function, test.line, [])
    return "::".join(path) if path else test.function


def _enclosing(node: ast.AST, name: str, line: int, outer: list[str]) -> list[str] | None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            found = _enclosing(child, name, line, [*outer, child.name])
            if found:
                return found
        elif (
            isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            and child.name == name
            and child.lineno <= line <= (child.end_lineno or child.lineno)
        ):
            return [*outer, name]
    return None


def _parse(repo_root: Path | None, relative: str) -> ast.Module | None:
    if repo_root is None:
        return None
    try:
        return ast.parse((repo_root / relative).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None


def _source_line(repo_root: Path | None, relative: str, line: int) -> str:
    """faulthandler prints no source; the repository has it (hints read test assertions)."""
    if repo_root is None:
        return ""
    try:
        lines = (repo_root / relative).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return ""
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""

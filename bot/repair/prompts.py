"""Prompt builders for the model engine: pure functions from failures and code to messages."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from bot.analysis.failures import Category, Failure

PROMPT_VERSION = "repair-v1"

MAX_SNIPPET_LINES = 80
MAX_CODE_CHARS = 16_000
MAX_OUTPUT_CHARS = 3_000
MAX_FAILURES = 5
SNIPPET_GAP_TO_MERGE = 3  # a few unrelated lines read better than a second snippet header

Message = dict[str, str]

STRATEGIES: dict[Category, str] = {
    Category.SYNTAX: "Fix the syntax error at the reported line; change nothing else.",
    Category.IMPORT: (
        "An import fails. Add the missing import, or correct the module or name being "
        "imported to one that exists in the repository or the standard library."
    ),
    Category.NAME_ATTRIBUTE: (
        "A name or attribute does not exist. It is usually a typo or a renamed variable: "
        "use the close match that is in scope (the error message may suggest it)."
    ),
    Category.TYPE: (
        "A value has the wrong type. Find where it is produced or passed, and fix the "
        "conversion, the argument order or the missing argument there."
    ),
    Category.INDEX_KEY: (
        "An index or key is out of range. Look for off-by-one errors in ranges, slices "
        "and loop bounds, and for missing empty or missing-key checks."
    ),
    Category.ASSERTION: (
        "The code returns a wrong result. Compare the test's expectation with the logic: "
        "look for a wrong comparison or arithmetic operator, an off-by-one, a negated "
        "condition, a wrong constant or a missing case."
    ),
    Category.TIMEOUT_RECURSION: (
        "The code never finishes. Look for a missing or wrong recursion base case, or a "
        "loop whose variable never moves towards its end."
    ),
    Category.DEPENDENCY: (
        "A dependency is missing or incompatible. Prefer a code change that works with "
        "what is installed; change a dependency file only when nothing else can work."
    ),
    Category.FLAKY: (
        "The failure looks intermittent. Fix a real race, ordering or timing assumption in "
        "the code; never add sleeps or retries that only hide it."
    ),
    Category.UNKNOWN: "Find the root cause from the traceback and fix it where it arises.",
}

SYSTEM_PROMPT = """You repair Python code so that failing tests pass.
Every fix you propose is applied and run in a sandbox; only fixes whose tests pass are kept.
Rules:
- Change the code under test, never the tests.
- Keep each fix minimal: the fewest changed lines that fix the root cause.
- Do not add network access, subprocesses, eval/exec or file deletion.
- Reply with one JSON object and nothing else, in exactly this shape:
{"patches": [{"description": "<one sentence: what was wrong and what the fix does>",
  "edits": [{"path": "<file path relative to the repository root>",
             "search": "<exact text copied from the current file, unique in it, whole lines>",
             "replace": "<the text that replaces it>"}]}]}
- `search` must match the file exactly (including indentation) and occur once; include
  enough surrounding lines to make it unique. Line numbers shown to you are not part of
  the file.
- Each patch is an independent alternative fix; order them from most to least likely."""


@dataclass(frozen=True)
class Snippet:
    path: str
    first_line: int
    last_line: int
    text: str


def strategy_for(category: Category) -> str:
    return STRATEGIES.get(category, STRATEGIES[Category.UNKNOWN])


def enclosing_block(source: str, line: int) -> tuple[int, int]:
    """1-based inclusive line range of the innermost function or class around `line`.

    Falls back to a window around the line when the file does not parse or the line is
    at module level; never longer than MAX_SNIPPET_LINES."""
    total = len(source.splitlines()) or 1
    line = min(max(line, 1), total)
    start, end = max(1, line - 10), min(total, line + 10)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    if tree is not None:
        best: tuple[int, int] | None = None
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                last = node.end_lineno or node.lineno
                if first <= line <= last and (best is None or last - first < best[1] - best[0]):
                    best = (first, last)
        if best is not None:
            start, end = best
    if end - start + 1 > MAX_SNIPPET_LINES:
        half = MAX_SNIPPET_LINES // 2
        start, end = max(start, line - half), min(end, line + half)
    return start, end


def snippets_for(failures: list[Failure], sources: dict[str, str]) -> list[Snippet]:
    """The code around each in-repository frame, innermost first, merged per file, bounded."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    order: list[str] = []
    for failure in failures[:MAX_FAILURES]:
        for frame in reversed(failure.repo_frames):
            if frame.file not in sources:
                continue
            if frame.file not in ranges:
                ranges[frame.file] = []
                order.append(frame.file)
            ranges[frame.file].append(enclosing_block(sources[frame.file], frame.line))
    snippets: list[Snippet] = []
    budget = MAX_CODE_CHARS
    for path in order:
        lines = sources[path].splitlines()
        for first, last in _merge(ranges[path]):
            text = "\n".join(f"{n:>5} | {lines[n - 1]}" for n in range(first, last + 1))
            if len(text) > budget:
                return snippets
            budget -= len(text)
            snippets.append(Snippet(path, first, last, text))
    return snippets


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + SNIPPET_GAP_TO_MERGE + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _describe_failure(failure: Failure) -> str:
    lines = [f"Test: {failure.test_id or '(no test id)'}"]
    lines.append(f"Error: {failure.exc_type}: {failure.message}".rstrip())
    if failure.frames:
        lines.append("Traceback (most recent call last):")
        for frame in failure.frames:
            where = "" if frame.in_repo else " [outside the repository]"
            lines.append(f'  File "{frame.file}", line {frame.line}, in {frame.function}{where}')
            if frame.code:
                lines.append(f"    {frame.code.strip()}")
    if failure.output.strip():
        output = failure.output.strip()[-MAX_OUTPUT_CHARS:]
        lines.append(f"Captured output (end):\n{output}")
    return "\n".join(lines)


def build_repair_messages(
    failures: list[Failure],
    sources: dict[str, str],
    *,
    category: Category,
    failing_tests: list[str],
    libraries: dict[str, str | None],
    test_command: str,
    limit: int,
) -> list[Message]:
    """System and user messages asking for up to `limit` alternative fixes as JSON."""
    sections = [f"Test command: {test_command}"]
    if failing_tests:
        sections.append("Failing tests:\n" + "\n".join(f"- {t}" for t in failing_tests))
    sections.append(
        "Failures:\n\n" + "\n\n".join(_describe_failure(f) for f in failures[:MAX_FAILURES])
    )
    snippets = snippets_for(failures, sources)
    if snippets:
        code = "\n\n".join(
            f"{s.path} (lines {s.first_line}-{s.last_line}):\n{s.text}" for s in snippets
        )
        sections.append("Relevant code (line numbers are for reference only):\n\n" + code)
    if libraries:
        listed = ", ".join(f"{name} {version or ''}".strip() for name, version in libraries.items())
        sections.append(f"Libraries in use: {listed}")
    sections.append(f"Failure category: {category.value}. Strategy: {strategy_for(category)}")
    sections.append(f"Propose up to {limit} different fixes as the JSON object described.")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n\n".join(sections)},
    ]


CATEGORIZE_PROMPT = """Classify the root cause of this Python test failure.
Reply with one JSON object and nothing else: {"category": "<one of: %s>"}"""


def build_categorize_messages(failures: list[Failure], rule_category: Category) -> list[Message]:
    names = ", ".join(c.value for c in Category)
    body = "\n\n".join(_describe_failure(f) for f in failures[:MAX_FAILURES])
    return [
        {"role": "system", "content": CATEGORIZE_PROMPT % names},
        {"role": "user", "content": f"{body}\n\nA rule-based guess: {rule_category.value}."},
    ]


REPRO_PROMPT = """Write a pytest test file that reproduces this failure in the repository.
The test must fail on the current code with the same error, and pass once the bug is fixed.
Use only the repository's code, the standard library and pytest; no network, no files
outside a tmp_path. Reply with one JSON object and nothing else:
{"code": "<the whole test file>"}"""


def build_repro_messages(
    failures: list[Failure], sources: dict[str, str], log_excerpt: str
) -> list[Message]:
    sections = ["Failures:\n\n" + "\n\n".join(_describe_failure(f) for f in failures)]
    snippets = snippets_for(failures, sources)
    if snippets:
        sections.append("\n\n".join(f"{s.path}:\n{s.text}" for s in snippets))
    if log_excerpt.strip():
        sections.append("Log excerpt:\n" + log_excerpt.strip()[-MAX_OUTPUT_CHARS:])
    return [
        {"role": "system", "content": REPRO_PROMPT},
        {"role": "user", "content": "\n\n".join(sections)},
    ]

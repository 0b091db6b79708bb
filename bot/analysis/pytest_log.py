"""Parse pytest's terminal output (long, short and line tracebacks; collection errors)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.analysis.failures import Failure, Frame
from bot.analysis.tracebacks import FILE_LINE, parse_exception_line

SECTION = re.compile(r"^={3,} (?P<title>[A-Za-z ]+?) ={3,}$")
SESSION_START = re.compile(r"^={3,} test session starts ={3,}$")
SESSION_END = re.compile(r"^={3,} .*\bin [\d.]+s(?: \([\d:]+\))? ={3,}$")
BLOCK_HEADER = re.compile(r"^_{3,} (?P<title>.+?) _{3,}$")
FRAME_SEPARATOR = re.compile(r"^(?:_ ){10,}_?$")
LOCATION = re.compile(r"^(?P<file>[^\s:][^:]*?):(?P<line>\d+):(?: (?P<rest>.*))?$")
SUMMARY = re.compile(r"^(?P<kind>FAILED|ERROR) (?P<node>\S+?)(?: - (?P<message>.*))?$")
E_LINE = re.compile(r"^E(?: {1,}(?P<text>.*))?$")
DEF_LINE = re.compile(r"^\s*(?:async )?def (?P<name>\w+)\(")
ROOTDIR = re.compile(r"^rootdir: (?P<path>\S+)")

PathFixer = Callable[[str, str | None], tuple[str, bool]]


def looks_like_pytest(text: str) -> bool:
    return bool(
        re.search(
            r"^={3,} (test session starts|FAILURES|ERRORS|short test summary info) ={3,}$",
            text,
            re.M,
        )
    )


def split_sessions(text: str) -> list[str]:
    """One chunk per pytest run (CI logs often hold several)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if SESSION_START.match(line)] or [0]
    chunks = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        for j in range(start, end):
            if SESSION_END.match(lines[j]):
                end = j + 1
                break
        chunks.append("\n".join(lines[start:end]))
    return chunks


def parse_pytest(text: str, fix_path: PathFixer) -> list[Failure]:
    """Every failing or erroring test of one or more pytest runs."""
    failures: list[Failure] = []
    for session in split_sessions(text):
        failures.extend(_parse_session(session, fix_path))
    return failures


def _parse_session(text: str, fix_path: PathFixer) -> list[Failure]:
    lines = text.splitlines()
    rootdir = next((m.group("path") for m in map(ROOTDIR.match, lines) if m), None)
    sections = _sections(lines)
    summary = [m for m in map(SUMMARY.match, sections.get("short test summary info", [])) if m]
    node_ids = [m.group("node") for m in summary]
    failures: list[Failure] = []
    for name in ("ERRORS", "FAILURES"):
        body = sections.get(name, [])
        blocks = _blocks(body)
        if blocks:
            for title, block in blocks:
                failures.append(_parse_block(title, block, node_ids, rootdir, fix_path))
        elif body:
            failures.extend(_parse_line_mode(body, [m for m in summary], rootdir, fix_path, name))
    seen = {f.test_id for f in failures}
    for match in summary:
        if match.group("node") not in seen:
            failures.append(_from_summary(match))
    return failures


def _sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        match = SECTION.match(line)
        if match:
            current = sections.setdefault(match.group("title"), [])
            continue
        if SESSION_END.match(line) or line.startswith("!!!!!"):
            current = None
            continue
        if current is not None:
            current.append(line)
    return sections


def _blocks(body: list[str]) -> list[tuple[str, list[str]]]:
    blocks: list[tuple[str, list[str]]] = []
    for line in body:
        match = BLOCK_HEADER.match(line)
        if match:
            blocks.append((match.group("title"), []))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


def _node_id_for(title: str, node_ids: list[str]) -> str | None:
    if title.startswith("ERROR collecting "):
        return title.removeprefix("ERROR collecting ").strip()
    title = re.sub(r"^ERROR at (?:setup|teardown) of ", "", title)
    wanted = "::" + title.replace(".", "::")
    wanted_plain = "::" + title
    for node in node_ids:
        if node.endswith((wanted, wanted_plain)):
            return node
    return None


def _parse_block(
    title: str, block: list[str], node_ids: list[str], rootdir: str | None, fix_path: PathFixer
) -> Failure:
    frames: list[Frame] = []
    e_lines: list[str] = []
    chunk_code, chunk_function = "", ""
    output_lines: list[str] = []
    in_captured = False
    for index, line in enumerate(block):
        if line.startswith("-" * 5) and "Captured" in line:
            in_captured = True
        if in_captured:
            output_lines.append(line)
            continue
        if FRAME_SEPARATOR.match(line):
            chunk_code, chunk_function = "", ""
            continue
        definition = DEF_LINE.match(line)
        if definition:
            chunk_function = definition.group("name")
        if line.startswith(">"):
            chunk_code = line[1:].strip()
        e_match = E_LINE.match(line)
        if e_match:
            e_lines.append(e_match.group("text") or "")
            continue
        location = LOCATION.match(line)
        if location and not line.startswith(" "):
            rest = location.group("rest") or ""
            function = rest[3:].strip() if rest.startswith("in ") else chunk_function
            code = chunk_code
            if rest.startswith("in ") and index + 1 < len(block):
                code = block[index + 1].strip()  # short tracebacks put the code under the location
            path, in_repo = fix_path(location.group("file"), rootdir)
            frames.append(Frame(path, int(location.group("line")), function, code, in_repo))
    exc_type, message, syntax_frame = _exception_from_e_lines(e_lines, rootdir, fix_path)
    if syntax_frame is not None:
        frames.append(syntax_frame)
    if not exc_type and frames and block:
        exc_type = _type_from_last_location(block)
    test_id = _node_id_for(title, node_ids) or title
    output = "\n".join(line for line in block if not FRAME_SEPARATOR.match(line)).strip()
    if output_lines:
        output += "\n" + "\n".join(output_lines)
    return Failure(test_id, exc_type or "UnknownError", message, frames, output)


def _exception_from_e_lines(
    e_lines: list[str], rootdir: str | None, fix_path: PathFixer
) -> tuple[str, str, Frame | None]:
    syntax_frame: Frame | None = None
    for n, text in enumerate(e_lines):
        stripped = text.strip()
        file_match = FILE_LINE.match(text)
        if file_match and syntax_frame is None:
            path, in_repo = fix_path(file_match.group("file"), rootdir)
            code = e_lines[n + 1].strip() if n + 1 < len(e_lines) else ""
            syntax_frame = Frame(path, int(file_match.group("line")), "", code, in_repo)
            continue
        if stripped.startswith("assert "):
            return "AssertionError", stripped, syntax_frame
        parsed = parse_exception_line(stripped)
        if parsed and not text.startswith(" "):
            exc_type, message = parsed
            extra = [line.strip() for line in e_lines[n + 1 :] if line.strip()]
            if exc_type == "AssertionError" and extra and not message:
                message = extra[0]
            return exc_type, message, syntax_frame
    return "", "", syntax_frame


def _type_from_last_location(block: list[str]) -> str:
    for line in reversed(block):
        location = LOCATION.match(line)
        if location and location.group("rest") and not location.group("rest").startswith("in "):
            return location.group("rest").strip()
    return ""


def _parse_line_mode(
    body: list[str],
    summary: list[re.Match[str]],
    rootdir: str | None,
    fix_path: PathFixer,
    section: str,
) -> list[Failure]:
    """`--tb=line`: one `path:line: Type: message` per failure, in the summary's order."""
    kind = "ERROR" if section == "ERRORS" else "FAILED"
    nodes = [m.group("node") for m in summary if m.group("kind") == kind]
    failures: list[Failure] = []
    for line in body:
        location = LOCATION.match(line)
        if not location or not location.group("rest"):
            continue
        parsed = parse_exception_line(location.group("rest"))
        if parsed is None:
            continue
        path, in_repo = fix_path(location.group("file"), rootdir)
        test_id = nodes[len(failures)] if len(failures) < len(nodes) else None
        frame = Frame(path, int(location.group("line")), "", "", in_repo)
        failures.append(Failure(test_id, parsed[0], parsed[1], [frame], line))
    return failures


def _from_summary(match: re.Match[str]) -> Failure:
    """Only the summary line is known (for example `-q --tb=no`): type and message from it."""
    message = match.group("message") or ""
    parsed = parse_exception_line(message) if message else None
    exc_type, text = (
        parsed if parsed else ("AssertionError" if message.startswith("assert") else "", message)
    )
    return Failure(match.group("node"), exc_type or "UnknownError", text, [], match.group(0))

"""A pasted bug as a small project on disk: the code, the reproduction test, its requirements,
and what was pasted (the log), under TRUTH_STATE_DIR/pastes/<session id>/.

Everything a visitor sends is checked here first: sizes, a file name that is a module name,
requirements that are names and versions only (no pip options, URLs or paths).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.analysis.paste import DEFAULT_MODULE, TEST_FILE

MAX_CODE_CHARS = 200_000
MAX_LOG_CHARS = 200_000
MAX_TEST_CHARS = 100_000
MAX_REQUIREMENTS = 30
MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\.py")
# A name, optional extras and version specifiers: `pandas`, `pandas==2.2.*`, `attrs[tests]>=23`.
_SPEC = r"(==|!=|~=|>=|<=|>|<|===)\s*[A-Za-z0-9.*+!_-]{1,40}"
REQUIREMENT = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}(\[[A-Za-z0-9,._-]{1,100}\])?"
    rf"(\s*{_SPEC}(\s*,\s*{_SPEC})*)?"
)
PASTE_FILE = "paste.json"


class PasteError(ValueError):
    """The paste cannot be run as sent; the message says which field and what to change."""


@dataclass(frozen=True)
class Paste:
    code: str
    log: str
    reproduction: str
    module: str = DEFAULT_MODULE
    requirements: list[str] = field(default_factory=list)
    how: str = ""  # where the reproduction came from
    expected: str = ""  # the exception type the log shows, which the reproduction should raise


def _text(value: str, name: str, limit: int, *, required: bool) -> str:
    text = value.replace("\r\n", "\n").replace("\x00", "")
    if required and not text.strip():
        raise PasteError(f"{name} is empty: {_WHY[name]}")
    if len(text) > limit:
        raise PasteError(f"{name} is {len(text)} characters, more than {limit}; paste less")
    return text


_WHY = {
    "The code": "paste the code that fails",
    "The reproduction": (
        "write a test that fails the way the bug does (pasting a traceback into the log "
        "writes one for you)"
    ),
    "The error log": "",
}


def checked(
    code: str, log: str, reproduction: str, module: str, requirements: str, how: str = "",
    expected: str = "",
) -> Paste:  # fmt: skip
    """The paste with every field checked; PasteError names the first that is not right."""
    module = module.strip() or DEFAULT_MODULE
    if not MODULE.fullmatch(module) or module.startswith("test") or module == "conftest.py":
        raise PasteError(
            f"the file name {module[:70]!r} is not a module name: use letters, digits and _ "
            "ending in .py, not starting with test (e.g. stats.py)"
        )
    wanted = [line.strip() for line in requirements.splitlines() if line.strip()]
    if len(wanted) > MAX_REQUIREMENTS:
        raise PasteError(f"{len(wanted)} requirements; at most {MAX_REQUIREMENTS}")
    for line in wanted:
        if not REQUIREMENT.fullmatch(line):
            raise PasteError(
                f"requirement {line[:80]!r} is not a name with an optional version (like "
                "pandas==2.2.2); options, URLs and paths are not accepted"
            )
    return Paste(
        code=_text(code, "The code", MAX_CODE_CHARS, required=True),
        log=_text(log, "The error log", MAX_LOG_CHARS, required=False),
        reproduction=_text(reproduction, "The reproduction", MAX_TEST_CHARS, required=True),
        module=module,
        requirements=wanted,
        how=how[:300],
        expected=expected[:100] if expected.isidentifier() else "",
    )


def paste_dir(state_dir: Path, session_id: str) -> Path:
    return state_dir / "pastes" / session_id


def write_project(paste: Paste, folder: Path) -> Path:
    """The project the session fixes; the paste itself is kept beside it for its page."""
    folder.mkdir(parents=True, exist_ok=False)
    try:
        (folder / paste.module).write_text(paste.code, encoding="utf-8")
        (folder / TEST_FILE).write_text(paste.reproduction, encoding="utf-8")
        if paste.requirements:
            (folder / "requirements.txt").write_text("\n".join(paste.requirements) + "\n")
        meta = folder.parent / f"{folder.name}.{PASTE_FILE}"
        meta.write_text(json.dumps(asdict(paste)), encoding="utf-8")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def read_paste(folder: Path) -> Paste | None:
    """The paste as it was sent (kept outside the project, so no candidate can change it)."""
    meta = folder.parent / f"{folder.name}.{PASTE_FILE}"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        return Paste(**data)
    except (OSError, ValueError, TypeError):
        return None

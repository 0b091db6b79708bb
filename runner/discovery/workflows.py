"""GitHub Actions workflows: the test job's install steps, test command and Python matrix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

TEST_COMMAND = re.compile(
    r"(^|[\s;&(])(pytest|py\.test|nosetests|tox|nox|make\s+test\w*|python3?\s+-m\s+"
    r"(pytest|unittest|nose|tox)|python3?\s+(setup\.py\s+test|runtests\.py|-m\s+django\s+test))"
    r"(\s|$)"
)
INSTALL_COMMAND = re.compile(
    r"^(?:python3?\s+-m\s+pip|pip3?|uv\s+pip)\s+install\b|^(?:poetry|pipenv|pdm)\s+install\b"
)


@dataclass
class WorkflowFacts:
    path: str
    job: str
    install_commands: list[str] = field(default_factory=list)
    skipped_commands: list[str] = field(default_factory=list)  # with the reason
    test_command: str | None = None
    python_versions: list[str] = field(default_factory=list)


def _run_lines(script: str) -> list[str]:
    joined = re.sub(r"\\\r?\n\s*", " ", script)
    lines = []
    for raw in joined.splitlines():
        for part in re.split(r"\s&&\s|;\s", raw):
            part = part.strip()
            if part and not part.startswith("#"):
                lines.append(part)
    return lines


def _versions(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        match = re.match(r"^(?:pypy-?)?(3\.\d+)", str(item).strip())
        if match and not str(item).startswith("pypy"):
            found.append(match.group(1))
    return found


def _job_versions(job: dict[str, object]) -> list[str]:
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    found: list[str] = []
    if isinstance(matrix, dict):
        for key in ("python-version", "python", "python_version", "py"):
            found += _versions(matrix.get(key, []))
        for row in matrix.get("include", []) or []:
            if isinstance(row, dict):
                for key in ("python-version", "python", "python_version", "py"):
                    found += _versions(row.get(key, []))
    for step in job.get("steps", []) or []:  # type: ignore[attr-defined]
        uses = str(step.get("uses", "")) if isinstance(step, dict) else ""
        if "setup-python" in uses:
            version = (step.get("with") or {}).get("python-version", "")
            found += _versions(version)
    return sorted(set(found), key=lambda v: int(v.split(".")[1]))


def _pip_form(line: str) -> tuple[str | None, str]:
    """The install command as the prepare step runs it, or None and why it is skipped."""
    if "${{" in line:
        return None, "uses a workflow expression"
    if re.match(r"^(poetry|pipenv|pdm)\s+install", line):
        return None, "its tool is not in the sandbox; the packaging file's dependencies are used"
    line = re.sub(r"^uv\s+pip\s+install", "pip install", line)
    line = re.sub(r"^(python3?\s+-m\s+pip|pip3)\s+install", "pip install", line)
    line = re.sub(r"\s--system\b", "", line)
    words = line.split()[2:]
    if words and all(w.startswith("-") or w in ("pip", "setuptools", "wheel") for w in words):
        return None, "only upgrades the packaging tools"
    if {"tox", "nox"} & {w.split("=")[0].split("<")[0].split(">")[0] for w in words}:
        return None, "installs the tox/nox runner; its environment's deps are used instead"
    return line, ""


def read_workflow(path: str, text: str) -> WorkflowFacts | None:
    """The job that runs the tests (its name says test, or it runs a test command)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    jobs = data.get("jobs") if isinstance(data, dict) else None
    if not isinstance(jobs, dict):
        return None
    ranked = []
    for name, job in jobs.items():
        if not isinstance(job, dict):
            continue
        scripts = [
            str(step.get("run", ""))
            for step in job.get("steps", []) or []
            if isinstance(step, dict) and step.get("run")
        ]
        lines = [line for script in scripts for line in _run_lines(script)]
        tests = [line for line in lines if TEST_COMMAND.search(line)]
        if tests:
            ranked.append(("test" in str(name).lower(), str(name), job, lines, tests[0]))
    if not ranked:
        return None
    ranked.sort(key=lambda item: not item[0])
    _, name, job, lines, test = ranked[0]
    facts = WorkflowFacts(path, name, test_command=test, python_versions=_job_versions(job))
    for line in lines:
        if INSTALL_COMMAND.search(line):
            command, why = _pip_form(line)
            if command:
                facts.install_commands.append(command)
            else:
                facts.skipped_commands.append(f"{line} ({why})")
    return facts

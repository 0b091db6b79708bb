"""Generates the repair benchmark's corpus: single-statement bugs planted in correct small programs.

The programs live in `bench/corpus/<program>/` (a package and its pytest tests); the bugs come
from `bench/mutations.py`. Only mutants whose tests fail (and finish within the timeout) are kept.

Run: `python bench/mutants.py OUT_DIR [--limit N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import ast
import functools
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so `python bench/mutants.py` finds the bench package

from bench.mutations import KINDS, apply, mutations  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
DEFAULT_SEED = 20240601
TEST_TIMEOUT_SECONDS = 10.0
PYPROJECT = """[project]
name = "mutant-{program}"
version = "0.1.0"
requires-python = ">=3.11"

[tool.pytest.ini_options]
pythonpath = ["."]
testpaths = ["tests"]
"""


@dataclass(frozen=True)
class Candidate:
    """One mutation of one module of one corpus program, not yet run."""

    program: str
    module: str
    kind: str
    source: str


def programs(corpus: Path = CORPUS) -> list[str]:
    """Names of the corpus programs."""
    return sorted(p.name for p in corpus.iterdir() if (p / "tests").is_dir())


def write_program(program: str, dest: Path, changes: dict[str, str] | None = None) -> Path:
    """A runnable copy of a corpus program (tests/__init__.py, pyproject.toml), with changes."""
    shutil.copytree(CORPUS / program, dest, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "tests" / "__init__.py").touch()
    (dest / "pyproject.toml").write_text(PYPROJECT.format(program=program))
    for relative, text in (changes or {}).items():
        (dest / relative).write_text(text)
    return dest


@functools.cache
def candidates(program: str) -> tuple[Candidate, ...]:
    """Distinct, parseable mutants of a program's modules (not its tests or __init__.py)."""
    found: list[Candidate] = []
    package = CORPUS / program / program
    seen: set[str] = set()
    for path in sorted(package.glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text()
        seen.add(source)
        for mutation in mutations(source):
            mutated = apply(source, mutation)
            if mutated in seen:
                continue
            seen.add(mutated)
            try:
                ast.parse(mutated)
            except SyntaxError:
                continue
            module = path.relative_to(CORPUS / program).as_posix()
            found.append(Candidate(program, module, mutation.kind, mutated))
    return tuple(found)


def queues(seed: int) -> dict[str, Iterator[Candidate]]:
    """Per kind, its candidates shuffled per program and taken from the programs in turn."""
    rng = random.Random(seed)
    groups: dict[str, dict[str, list[Candidate]]] = {kind: {} for kind in KINDS}
    for program in programs():
        for candidate in candidates(program):
            groups[candidate.kind].setdefault(program, []).append(candidate)
    for by_program in groups.values():
        for group in by_program.values():
            rng.shuffle(group)
    kinds = [kind for kind in KINDS if groups[kind]]
    return {kind: _rotate(groups[kind], start) for start, kind in enumerate(kinds)}


def _rotate(by_program: dict[str, list[Candidate]], start: int) -> Iterator[Candidate]:
    """One candidate from each program in turn; kinds start at different programs."""
    turn = start
    while by_program:
        names = sorted(by_program)
        program = names[turn % len(names)]
        turn += 1
        yield by_program[program].pop()
        if not by_program[program]:
            del by_program[program]


def tests_fail(project: Path) -> bool:
    """Whether the project's tests fail cleanly: exit code 1 within the timeout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # The corpus needs core pytest only; loading every installed plugin triples the start-up time.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"],
            cwd=project,
            env=env,
            capture_output=True,
            timeout=TEST_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 1


def generate_corpus(
    out_dir: Path, limit: int | None = None, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write up to `limit` failing mutants as `mutant-<program>-<kind>-<n>/` directories.

    Kinds take turns; a kind whose candidate survives (tests pass or hang) tries its next one,
    so a small limit still covers as many kinds and programs as it can.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    numbers: dict[tuple[str, str], int] = {}
    pending = queues(seed)
    while pending and (limit is None or len(made) < limit):
        for kind in list(pending):
            if limit is not None and len(made) >= limit:
                break
            accepted = next(
                (path for c in pending[kind] if (path := _keep_if_failing(c, out_dir, numbers))),
                None,
            )
            if accepted is None:
                del pending[kind]
            else:
                made.append(accepted)
    return made


def _keep_if_failing(
    candidate: Candidate, out_dir: Path, numbers: dict[tuple[str, str], int]
) -> Path | None:
    key = (candidate.program, candidate.kind)
    number = numbers.get(key, 0) + 1
    dest = out_dir / f"mutant-{candidate.program}-{candidate.kind}-{number}"
    if dest.exists():
        shutil.rmtree(dest)
    write_program(candidate.program, dest, {candidate.module: candidate.source})
    if not tests_fail(dest):
        shutil.rmtree(dest)
        return None
    numbers[key] = number
    return dest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the single-line bug corpus.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="at most N mutants")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate_corpus(args.out_dir, args.limit, args.seed):
        print(path)


if __name__ == "__main__":
    main()

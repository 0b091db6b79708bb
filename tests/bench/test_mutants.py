"""Tests that the bug corpus starts from correct programs and keeps only mutants that fail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.mutants import candidates, generate_corpus, main, programs, queues, write_program
from bench.mutations import KINDS

LIMIT = 3


def run_tests(project: Path) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        timeout=60,
    ).returncode


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return out, generate_corpus(out, limit=LIMIT, seed=7)


def test_the_corpus_has_several_programs():
    assert 6 <= len(programs()) <= 10


@pytest.mark.parametrize("program", programs())
def test_original_programs_pass_their_tests(program, tmp_path):
    assert run_tests(write_program(program, tmp_path / program)) == 0


def test_every_kind_has_candidates_in_the_corpus():
    kinds = {c.kind for program in programs() for c in candidates(program)}
    assert kinds == set(KINDS)


def test_generated_mutants_have_the_pipeline_shape_and_fail_their_tests(corpus):
    out, mutants = corpus
    assert len(mutants) == LIMIT
    for mutant in mutants:
        assert mutant.parent == out and mutant.name.startswith("mutant-")
        pyproject = (mutant / "pyproject.toml").read_text()
        assert 'pythonpath = ["."]' in pyproject and 'testpaths = ["tests"]' in pyproject
        assert (mutant / "tests" / "__init__.py").is_file()
        assert not (mutant / ".git").exists()
        assert not list(mutant.rglob("__pycache__"))
        assert run_tests(mutant) == 1


def test_each_mutant_changes_one_module_of_its_program(corpus, tmp_path):
    _, mutants = corpus
    for mutant in mutants:
        program = mutant.name.split("-")[1]
        original = tree(write_program(program, tmp_path / mutant.name))
        changed = tree(mutant)
        assert changed.keys() == original.keys()
        assert len([name for name in changed if changed[name] != original[name]]) == 1


def test_a_small_limit_spreads_over_kinds_and_programs(corpus):
    _, mutants = corpus
    kinds = {mutant.name.split("-")[2] for mutant in mutants}
    names = {mutant.name.split("-")[1] for mutant in mutants}
    assert len(kinds) == LIMIT
    assert len(names) == LIMIT


def test_same_seed_gives_the_same_corpus(corpus, tmp_path):
    _, mutants = corpus
    again = generate_corpus(tmp_path, limit=LIMIT, seed=7)
    assert [p.name for p in again] == [p.name for p in mutants]
    assert [tree(p) for p in again] == [tree(p) for p in mutants]


def test_another_seed_picks_other_candidates():
    def order(seed):
        return [next(queue).source for queue in queues(seed).values()]

    assert order(1) == order(1)
    assert order(1) != order(2)


def test_cli_writes_the_mutants_and_prints_their_paths(tmp_path, capsys):
    main([str(tmp_path / "out"), "--limit", "1", "--seed", "7"])
    printed = capsys.readouterr().out.split()
    assert len(printed) == 1
    assert Path(printed[0]).parent == tmp_path / "out"
    assert (Path(printed[0]) / "pyproject.toml").is_file()

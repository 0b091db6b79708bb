"""The real-bug corpus: cases made from real projects' fix commits, and their materialisation.

A case is one JSON file in `bench/realbugs/cases/` naming a public repository, a bug-fix commit
and what it takes to judge it; only that description is ours and committed. The code itself is
never committed: `materialize` rebuilds each case from a git mirror of the project (the
session tool `fetch` brings one to /work/.mirror/<owner>+<name>/repo) into a cache folder:

    <out>/<id>/repo/        the fix commit's parent, with the fix commit's test changes applied
                            (a git checkout with one commit, as a user would have it)
    <out>/<id>/fix.patch    the developer's fix: the commit's changes to source files
    <out>/<id>/tests.patch  the commit's changes to tests (already in repo/)
    <out>/<id>/pr.patch     for a PR-shaped case: the diff the PR made (the bug placed inside it)

Case fields: id, repo (owner/name), commit (the fix, 40 hex), licence (SPDX id of the project's
licence at that commit), split ("tune" or "heldout": never read a held-out case's sources while
tuning), kind (the bug's kind, e.g. "none_check"), shape (packaging/test layout tags such as
"setuptools-scm", "src-layout", "tox", "unittest"), test_command (the maintainer's own narrow
command, e.g. "python -m pytest tests/test_x.py"), targets (test ids failing before the fix and
passing after), python (optional "3.9"/"3.11"/"3.13"), and notes. Optional: source_only_paths
and test_only_paths (files of the fix that count as source, or as tests, whatever the common
test-path conventions say), pr (for
PR-shaped cases: {"base": commit, "bug_patch": path of a patch in cases/ that places the bug}).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
MIRRORS = Path(os.environ.get("TRUTH_MIRRORS", "/work/.mirror"))
CACHE = Path(os.environ.get("TRUTH_REALBUGS_DIR", Path.home() / ".cache" / "truth-realbugs"))
TEST_DIRS = {"tests", "test", "testing"}


@dataclass(frozen=True)
class Case:
    id: str
    repo: str
    commit: str
    licence: str
    split: str
    kind: str
    test_command: str
    targets: tuple[str, ...]
    shape: tuple[str, ...] = ()
    python: str | None = None
    notes: str = ""
    source_only_paths: tuple[str, ...] = ()
    test_only_paths: tuple[str, ...] = ()
    pr: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Case:
        data = json.loads(path.read_text())
        for name in ("targets", "shape", "source_only_paths", "test_only_paths"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)

    @property
    def mirror(self) -> Path:
        return MIRRORS / self.repo.replace("/", "+") / "repo"


def cases(split: str | None = None, ids: list[str] | None = None) -> list[Case]:
    found = [Case.load(p) for p in sorted(CASES.glob("*.json"))]
    if split:
        found = [c for c in found if c.split == split]
    if ids:
        found = [c for c in found if c.id in ids]
    return found


def is_test_path(path: str) -> bool:
    """A test file by the common conventions (the corpus's own split, independent of ours)."""
    parts = PurePosixPath(path).parts
    name = parts[-1]
    return (
        bool(set(parts[:-1]) & TEST_DIRS)
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def _git(mirror: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={mirror}", *args], capture_output=True, check=True
    ).stdout


def changed_files(case: Case) -> list[str]:
    out = _git(case.mirror, "diff", "--name-only", f"{case.commit}^", case.commit)
    return [line for line in out.decode().splitlines() if line]


def split_fix(case: Case) -> tuple[list[str], list[str]]:
    """(source files, test files) the fix commit changes; docs and changelogs are neither."""
    source, tests = [], []
    for name in changed_files(case):
        if name in case.source_only_paths:
            source.append(name)
        elif name in case.test_only_paths or is_test_path(name):
            tests.append(name)
        elif name.endswith(".py"):
            source.append(name)
    return source, tests


def _diff(case: Case, paths: list[str]) -> str:
    if not paths:
        return ""
    return _git(
        case.mirror, "diff", "--binary", f"{case.commit}^", case.commit, "--", *paths
    ).decode()


def materialize(case: Case, out: Path = CACHE) -> Path:
    """Write the case's buggy tree and patches under `out/<id>/` (replacing what was there)."""
    if not case.mirror.exists():
        raise SystemExit(f"{case.id}: no mirror at {case.mirror}; fetch github:{case.repo} first")
    target = out / case.id
    shutil.rmtree(target, ignore_errors=True)
    repo = target / "repo"
    repo.mkdir(parents=True)
    archive = _git(case.mirror, "archive", "--format=tar", f"{case.commit}^")
    subprocess.run(["tar", "-x", "-C", str(repo)], input=archive, check=True)
    source, tests = split_fix(case)
    tests_patch, fix_patch = _diff(case, tests), _diff(case, source)
    if tests_patch:
        subprocess.run(
            ["git", "apply", "--whitespace=nowarn"],
            cwd=repo,
            input=tests_patch.encode(),
            check=True,
        )
    (target / "tests.patch").write_text(tests_patch)
    (target / "fix.patch").write_text(fix_patch)
    (target / "case.json").write_text(json.dumps(case.__dict__, indent=2, default=list))
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "corpus",
        "GIT_AUTHOR_EMAIL": "corpus@localhost",
        "GIT_COMMITTER_NAME": "corpus",
        "GIT_COMMITTER_EMAIL": "corpus@localhost",
    }
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "buggy"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True, capture_output=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="case ids (default: all)")
    parser.add_argument("--split", choices=["tune", "heldout"])
    parser.add_argument("--out", type=Path, default=CACHE)
    args = parser.parse_args()
    for case in cases(args.split, args.ids):
        try:
            where = materialize(case, args.out)
        except (subprocess.CalledProcessError, SystemExit) as exc:
            print(f"{case.id}: not materialised: {exc}", file=sys.stderr)
            continue
        print(f"{case.id}: {where}")


if __name__ == "__main__":
    main()

"""Builds real git repositories with fix histories for the trace tests and the benchmark."""

from __future__ import annotations

import subprocess
from pathlib import Path

BUGGY = """def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]
"""
WRONG_ATTEMPT = """def median(values):
    ordered = sorted(values, reverse=True)
    return ordered[len(ordered) // 2]
"""
FIXED = """def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 0:
        return (ordered[middle - 1] + ordered[middle]) / 2
    return ordered[middle]
"""
FIRST_TEST = """from stats.core import median


def test_median_odd():
    assert median([3, 1, 2]) == 2
"""
EVEN_TEST = (
    FIRST_TEST
    + """

def test_median_even():
    assert median([4, 1, 3, 2]) == 2.5
"""
)
MORE_TESTS = (
    EVEN_TEST
    + """

def test_median_single():
    assert median([7]) == 7
"""
)
LEAKED_SETTINGS = "DATABASE_URL=postgres://app:hunter22secret@db:5432/app\nDEBUG=1\n"


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Ada Dev",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada Dev",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str | None], message: str, when: int) -> str:
    for name, content in files.items():
        path = repo / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    git(repo, "add", "-A")
    date = f"{when} +0000"
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", message],
        env={
            "GIT_AUTHOR_NAME": "Ada Dev",
            "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Ada Dev",
            "GIT_COMMITTER_EMAIL": "ada@example.com",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
        },
        check=True,
    )
    return git(repo, "rev-parse", "HEAD")


def init_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")


def good_fix_history(repo: Path) -> dict[str, str]:
    """Failing test first, a wrong attempt reverted, the fix, then more tests."""
    init_repo(repo)
    t = 1_700_000_000
    shas = {
        "base": commit(
            repo,
            {"stats/__init__.py": "", "stats/core.py": BUGGY, "tests/test_core.py": FIRST_TEST},
            "Initial stats package",
            t,
        )
    }
    shas["failing_test"] = commit(
        repo,
        {"tests/test_core.py": EVEN_TEST},
        "Add failing test for median of even-length lists\n\n"
        "Observation: median([4, 1, 3, 2]) returns 3 but should be 2.5.",
        t + 60,
    )
    shas["wrong_attempt"] = commit(
        repo,
        {"stats/core.py": WRONG_ATTEMPT},
        "Try sorting in reverse\n\nHypothesis: maybe the order of the list is wrong.",
        t + 300,
    )
    shas["revert"] = commit(
        repo,
        {"stats/core.py": BUGGY},
        "Revert reverse sort\n\nThe test still fails, so ordering was not the cause.",
        t + 420,
    )
    shas["fix"] = commit(
        repo,
        {"stats/core.py": FIXED, "deploy.env": LEAKED_SETTINGS},
        "Fix median for even-length lists\n\n"
        "Root cause: len // 2 picks the upper middle element because even lengths have two.\n"
        "Decision: average the two middle elements.",
        t + 900,
    )
    shas["more_tests"] = commit(
        repo,
        {"tests/test_core.py": MORE_TESTS},
        "Add test for single-element lists\n\nNext: cover empty input.",
        t + 1000,
    )
    return shas


def sloppy_fix_history(repo: Path) -> dict[str, str]:
    """Edits first, tests deleted, no explanation: what the judge should score low."""
    init_repo(repo)
    t = 1_700_000_000
    shas = {
        "base": commit(
            repo,
            {"stats/__init__.py": "", "stats/core.py": BUGGY, "tests/test_core.py": EVEN_TEST},
            "init",
            t,
        )
    }
    shas["a"] = commit(repo, {"stats/core.py": WRONG_ATTEMPT}, "wip", t + 60)
    shas["b"] = commit(repo, {"stats/core.py": BUGGY}, "wip", t + 120)
    shas["c"] = commit(repo, {"stats/core.py": WRONG_ATTEMPT}, "wip", t + 180)
    shas["d"] = commit(
        repo,
        {"stats/core.py": FIXED, "tests/test_core.py": None, "deploy.env": LEAKED_SETTINGS},
        "stuff",
        t + 240,
    )
    return shas

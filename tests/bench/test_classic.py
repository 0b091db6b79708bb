"""The classic corpus is sound: each program's visible tests fail on its planted bug, and the
intended fix passes them and the hidden check (so a false verified is the engine's, not ours)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.classic import figures, hidden_check_passes, manifest, programs, write_project
from bot.repair.diffs import make_diff


def visible_tests_fail(project: Path) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
             "-o", "faulthandler_timeout=5"],
            cwd=project, env=env, capture_output=True, timeout=20,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return True  # a planted endless loop
    return result.returncode == 1


def test_about_a_third_is_held_apart_and_every_kind_is_named() -> None:
    entries = manifest()
    held = programs("heldout")
    assert len(entries) >= 40
    assert 0.25 <= len(held) / len(entries) <= 0.4
    assert set(programs("tuned")) | set(held) == set(entries)
    assert all(e["kind"] and e["bug"] != e["fix"] for e in entries.values())


@pytest.mark.slow
@pytest.mark.parametrize("name", programs("both"))
def test_the_bug_fails_and_the_intended_fix_passes_everything(name: str, tmp_path: Path) -> None:
    project = write_project(name, tmp_path / name)
    assert not (project / f"check_{name}.py").exists()  # the engine never sees the check
    assert visible_tests_fail(project)
    module = project / f"{name}.py"
    entry = manifest()[name]
    before = module.read_text()
    diff = make_diff(f"{name}.py", before, before.replace(entry["bug"], entry["fix"]))
    assert hidden_check_passes(name, project, diff)


def test_a_plausible_but_wrong_fix_is_caught_by_the_hidden_check(tmp_path: Path) -> None:
    project = write_project("median", tmp_path / "median")
    before = (project / "median.py").read_text()
    # passes the visible tests ([3, 1, 2] and [4, 1, 3, 2]) but not the hidden ones
    wrong = before.replace("if len(ordered) % 2:", "if len(ordered) % 3:")
    assert hidden_check_passes("median", project, make_diff("median.py", before, wrong)) is False


def test_figures_count_only_fixes_the_hidden_check_accepts() -> None:
    rows: list[dict[str, object]] = [
        {"status": "verified", "false_verified": False, "seconds": 10, "candidates_tried": 6},
        {"status": "verified", "false_verified": True, "seconds": 20, "candidates_tried": 6},
        {"status": "no_fix", "false_verified": False, "seconds": 90, "candidates_tried": 40},
        {"status": "no_fix", "false_verified": False, "seconds": 5, "undecided": True},
    ]
    rows[0]["winner_at"], rows[1]["winner_at"] = 3, 3
    rows[3]["candidates_tried"] = 9
    result = figures("tuned", rows)
    assert (result["fixed"], result["total"], result["false_verified"]) == (1, 4, 1)
    assert result["undecided"] == 1
    assert result["median_seconds_per_program"] == 15
    assert result["candidates_per_fix_median"] == 6
    assert result["winner_found_at_median"] == 3

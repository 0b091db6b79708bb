"""Hung tests: real faulthandler dumps (pytest -o faulthandler_timeout) become Timeout failures."""

from __future__ import annotations

from pathlib import Path

from bot.analysis.categorize import categorize
from bot.analysis.failures import Category
from bot.analysis.logs import parse_failures

LOGS = Path(__file__).resolve().parents[2] / "data" / "logs"
# Captured in a copy of bench/corpus/tokenizer unpacked at the sandbox's path.
SANDBOX_DUMP = (LOGS / "faulthandler_loop_sandbox.txt").read_text()
# Captured at a GitHub Actions checkout path, with a class-based test and a second thread.
ACTIONS_DUMP = (LOGS / "faulthandler_class_thread_actions.txt").read_text()


def test_sandbox_dump_becomes_one_timeout_with_repo_relative_frames_innermost_last() -> None:
    [failure] = parse_failures(SANDBOX_DUMP)

    assert failure.exc_type == "Timeout"
    assert failure.test_id == "tests/test_tokenizer.py::test_numbers_names_and_operators"
    repo = [(f.file, f.line, f.function) for f in failure.repo_frames]
    assert repo == [
        ("tests/test_tokenizer.py", 6, "test_numbers_names_and_operators"),
        ("tokenizer/lexer.py", 10, "tokenize"),
    ]
    assert failure.frames[-1].in_repo and not failure.frames[0].in_repo
    assert "tokenizer/lexer.py:10" in failure.message
    # Said in seconds, and not called a loop: the dump may come from a limit set too low.
    assert (
        failure.message.startswith("still running after ") and " s in tokenize()" in failure.message
    )
    assert "endless loop" not in failure.message and "0:00:" not in failure.message
    assert categorize(failure) is Category.TIMEOUT_RECURSION


def test_the_thread_running_the_test_is_chosen_and_its_class_named(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_class.py").write_text(
        "import threading\nimport time\n\nfrom roman.numerals import to_roman\n\n\n"
        "class TestRomanClass:\n    def test_year(self):\n"
        "        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
        '        assert to_roman(1994) == "MCMXCIV"\n'
    )

    [failure] = parse_failures(ACTIONS_DUMP, repo_root=tmp_path)

    assert failure.test_id == "tests/test_class.py::TestRomanClass::test_year"
    assert failure.innermost_repo_frame is not None
    assert failure.innermost_repo_frame.file == "roman/numerals.py"
    assert failure.innermost_repo_frame.function == "to_roman"
    assert failure.repo_frames[0].code == 'assert to_roman(1994) == "MCMXCIV"'
    assert all("threading.py" not in f.file for f in failure.frames)


def test_without_the_test_file_the_id_falls_back_to_the_function() -> None:
    [failure] = parse_failures(ACTIONS_DUMP)

    assert failure.test_id == "tests/test_class.py::test_year"


def test_dump_in_an_actions_log_with_other_failures_is_kept_beside_them() -> None:
    text = (LOGS / "python_chained_traceback.txt").read_text() + "\n" + SANDBOX_DUMP

    failures = parse_failures(text)

    assert [f.exc_type for f in failures].count("Timeout") == 1
    assert len(failures) > 1

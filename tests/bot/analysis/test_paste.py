"""A pasted bug taken apart: code and log separated, the module named, a reproduction written."""

from __future__ import annotations

from bot.analysis.paste import analyze

STATS = "import requests\nimport json\n\n\ndef average(xs):\n    return sum(xs) / len(xs)\n"
CALLER_TRACEBACK = """Traceback (most recent call last):
  File "/home/ada/app.py", line 12, in <module>
    result = average([])
  File "/home/ada/stats.py", line 6, in average
    return sum(xs) / len(xs)
ZeroDivisionError: division by zero"""


def test_a_traceback_pasted_into_the_code_moves_to_the_log() -> None:
    parts = analyze(STATS + "\n" + CALLER_TRACEBACK + "\n")
    assert parts.code == STATS and parts.log == CALLER_TRACEBACK
    assert parts.module == "stats.py"
    assert parts.exception == "ZeroDivisionError: division by zero"
    assert parts.libraries == ["requests"]  # json is the standard library's
    assert parts.reproduction.startswith("from stats import *")
    assert parts.reproduction.rstrip().endswith("    result = average([])")
    assert "repeats `result = average([])` from /home/ada/app.py:12" in parts.how


def test_a_traceback_that_starts_in_the_pasted_script_runs_the_script() -> None:
    script = "def last(items):\n    return items[len(items)]\n\nprint(last([1, 2, 3]))\n"
    log = """Traceback (most recent call last):
  File "/tmp/x/last.py", line 4, in <module>
    print(last([1, 2, 3]))
  File "/tmp/x/last.py", line 2, in last
    return items[len(items)]
IndexError: list index out of range"""
    parts = analyze(script, log)
    assert parts.module == "last.py" and "runpy.run_path" in parts.reproduction
    assert 'with_name("last.py")), run_name="__main__")' in parts.reproduction
    compile(parts.reproduction, "test_reproduction.py", "exec")


def test_pytests_report_gives_back_the_failing_test() -> None:
    report = """_________________________ test_median _________________________

    def test_median():
        data = [4, 1, 3, 2]
>       assert median(data) == 2.5
E       assert 3 == 2.5

tests/test_stats.py:5: AssertionError"""
    code = "def median(xs):\n    xs = sorted(xs)\n    return xs[len(xs) // 2]\n"
    parts = analyze(code + "\n" + report)
    assert parts.code == code and "def test_median" in parts.log
    assert parts.exception == "AssertionError: assert 3 == 2.5"
    assert parts.reproduction == (
        "from snippet import *  # noqa: F403 (the pasted code)\n\n\n"
        "def test_median():\n    data = [4, 1, 3, 2]\n    assert median(data) == 2.5\n"
    )


def test_without_a_traceback_no_reproduction_is_invented() -> None:
    parts = analyze("def f():\n    return 1\n", "it returns the wrong thing")
    assert parts.reproduction == "" and "write a test" in parts.how
    frames_elsewhere = CALLER_TRACEBACK.replace("return sum(xs) / len(xs)", "other()")
    parts = analyze("def g():\n    pass\n", frames_elsewhere.replace("stats.py", "lib.py"))
    assert parts.reproduction == "" and "do not point into the pasted code" in parts.how

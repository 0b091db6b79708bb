"""Tests for separating stack traces from pasted prose and code."""

from pathlib import Path

from bot.analysis.smart_paste import split_traces

LOGS = Path(__file__).parents[2] / "data" / "logs"


def test_prose_code_and_trace_are_separated_in_order():
    pasted = (
        "Hi, my function crashes when I call it:\n"
        "\n"
        "def mean(xs):\n"
        "    return sum(xs) / len(xs)\n"
        "\n"
        "Traceback (most recent call last):\n"
        '  File "app.py", line 2, in mean\n'
        "    return sum(xs) / len(xs)\n"
        "ZeroDivisionError: division by zero\n"
        "Any idea why?"
    )
    blocks = split_traces(pasted)
    assert [b.kind for b in blocks] == ["text", "code", "traceback", "text"]
    assert blocks[2].text.startswith("Traceback") and blocks[2].text.endswith("division by zero")
    assert blocks[1].text == "def mean(xs):\n    return sum(xs) / len(xs)"
    assert blocks[3].text == "Any idea why?"


def test_a_chained_traceback_stays_one_block():
    text = "before\n" + (LOGS / "python_chained_traceback.txt").read_text() + "after"
    blocks = split_traces(text)
    assert [b.kind for b in blocks] == ["text", "traceback", "text"]
    assert blocks[1].text.count("Traceback (most recent call last):") == 3
    assert blocks[1].text.endswith("KeyError: 'default_port'")


def test_text_without_a_trace_has_no_traceback_block():
    assert all(b.kind != "traceback" for b in split_traces("just words\nmore words"))

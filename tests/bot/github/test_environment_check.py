"""On GitHub an environment problem ends the check run neutral, with the cause and remedy."""

from __future__ import annotations

from bot.fix.types import FixOutcome, FixStatus
from bot.github.comments import check_conclusion, check_output

MESSAGE = (
    "tests/conftest.py imports psutil, which no dependency file declares: add psutil to "
    "requirements-test.txt, or set install_command in .github/truth.yml"
)


def test_environment_error_check_run_is_neutral_and_says_what_to_do() -> None:
    outcome = FixOutcome(FixStatus.ENVIRONMENT_ERROR, "s1", MESSAGE, None, [], None)
    assert check_conclusion(outcome) == "neutral"
    output = check_output(outcome, "https://truth.example/s/s1", ["Reproducing…"])
    assert output["title"] == "The tests cannot run as the repository declares them"
    assert output["summary"].startswith(MESSAGE)
    assert "No candidate was generated." in output["summary"]

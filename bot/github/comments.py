"""Pure rendering of everything Truth Engine writes on GitHub: check output, review, comments."""

from __future__ import annotations

from collections.abc import Sequence

from bot.pipeline_types import FixOutcome, FixStatus

STATUS_MARKER = "<!-- truth-engine:status -->"
CHECK_TEXT_LIMIT = 65_000  # GitHub rejects check-run output fields over 65535 characters

HELP = """**Truth Engine commands** (people with write access to this repository):

- `/truth fix [test selector]`: reproduce the failure, try candidate fixes in a sandbox,
  and suggest the one seen passing.
- `/truth retry`: run the fix again on the current head commit.
- `/truth trace`: rebuild this pull request's telemetry trace from its commits.
- `/truth help`: this message."""


def review_marker(head_sha: str) -> str:
    return f"<!-- truth-engine:review {head_sha} -->"


def fallback_marker(head_sha: str) -> str:
    return f"<!-- truth-engine:fallback {head_sha} -->"


def session_url(public_url: str, session_id: str) -> str:
    return f"{public_url.rstrip('/')}/sessions/{session_id}"


def _clip(text: str, limit: int = CHECK_TEXT_LIMIT) -> str:
    # Keep the end: the last console lines and the final verdict matter most.
    return text if len(text) <= limit else "…\n" + text[-(limit - 2) :]


def console_text(lines: Sequence[str]) -> str:
    return _clip("```\n" + "\n".join(lines) + "\n```")


def proof_summary(outcome: FixOutcome) -> str:
    """Commands, exit codes and durations of the runs that prove the verdict."""
    rows = ["| run | command | exit | duration | image |", "|---|---|---|---|---|"]
    runs = [("baseline", outcome.baseline)]
    winner = outcome.winner
    if winner is not None and winner.verification is not None:
        runs.append((f"candidate {winner.id}", winner.verification.patched))
    for label, run in runs:
        if run is not None:
            rows.append(
                f"| {label} | `{run.command}` | {run.exit_code} | "
                f"{run.duration_ms:.0f} ms | `{run.image_id[:19]}` |"
            )
    return "\n".join(rows) if len(rows) > 2 else "No sandbox run was recorded."


def candidates_table(outcome: FixOutcome) -> str:
    if not outcome.candidates:
        return "No candidate was generated."
    rows = ["| candidate | engine | result | why | time |", "|---|---|---|---|---|"]
    for c in outcome.candidates:
        reason = c.reason.replace("|", "\\|").replace("\n", " ")[:120]
        rows.append(f"| {c.id} | {c.engine} | {c.status} | {reason} | {c.duration_ms:.0f} ms |")
    return "\n".join(rows)


def check_conclusion(outcome: FixOutcome) -> str:
    return "success" if outcome.status is FixStatus.VERIFIED else "neutral"


def check_output(outcome: FixOutcome, url: str, console: Sequence[str]) -> dict[str, str]:
    titles = {
        FixStatus.VERIFIED: "Verified fix posted",
        FixStatus.NO_FIX: "No verified fix found",
        FixStatus.NOTHING_TO_FIX: "Tests pass in the sandbox: nothing to fix",
    }
    summary = (
        f"{outcome.message}\n\n**Proof**\n\n{proof_summary(outcome)}\n\n"
        f"**Candidates tried**\n\n{candidates_table(outcome)}\n\n"
        f"Full session, logs and proof download: {url}"
    )
    return {
        "title": titles[outcome.status],
        "summary": _clip(summary),
        "text": console_text(console),
    }


def review_body(outcome: FixOutcome, url: str, head_sha: str, suggested: int, outside: int) -> str:
    winner = outcome.winner
    assert winner is not None
    where = (
        (
            f" {outside} more change(s) lie outside this PR's diff; see the comment with the full "
            "diff."
        )
        if outside
        else ""
    )
    return (
        f"{review_marker(head_sha)}\n**Truth Engine: verified fix** (candidate {winner.id}, "
        f"{winner.engine}). The failing tests pass with this change in a sandbox with no "
        f"network, and no test that passed before broke.{where}\n\n"
        f"{proof_summary(outcome)}\n\nProof and logs: {url}"
    )


def fallback_comment(diff: str, url: str, head_sha: str, branch_pr_url: str | None) -> str:
    extra = (
        f"\n\nThe fix is also on a branch, as a pull request into this one: {branch_pr_url}"
        if branch_pr_url
        else ""
    )
    return (
        f"{fallback_marker(head_sha)}\n**Truth Engine: verified fix outside this PR's diff.** "
        "GitHub only allows suggestions on lines the PR changes, so here is the whole verified "
        "patch; apply it with `git apply`."
        + extra
        + f"\n\n```diff\n{diff.rstrip()}\n```\n\nProof and logs: {url}"
    )


def status_comment(headline: str, detail: str, url: str | None = None) -> str:
    link = f"\n\nSession: {url}" if url else ""
    return f"{STATUS_MARKER}\n**Truth Engine:** {headline}\n\n{detail}{link}"


def refusal(user: str, command: str) -> str:
    return (
        f"Sorry @{user}, `/truth {command}` needs write access to this repository, so Truth "
        "Engine did nothing. Ask a maintainer to run it, or to give you write access."
    )


def unknown_command(name: str) -> str:
    return f"`/truth {name}` is not a command Truth Engine knows.\n\n{HELP}"

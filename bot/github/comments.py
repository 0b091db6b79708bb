"""Pure rendering of everything Truth Engine writes on GitHub: check output, review, comments."""

from __future__ import annotations

from collections.abc import Sequence

from bot.fix.types import FixOutcome, FixStatus
from bot.github.limits import CHECK_OUTPUT_BYTES, clip
from bot.github.suggestions import suggestion_fence

STATUS_MARKER = "<!-- truth-engine:status -->"
CHECK_TEXT_LIMIT = CHECK_OUTPUT_BYTES  # GitHub refuses longer check-run summaries and texts
MAX_ALTERNATIVES_SHOWN = 3
ALTERNATIVE_DIFF_BYTES = 4000  # three of them stay far below a review body's 65,536 characters

HELP = """**Truth Engine commands** (people with write access to this repository):

- `/truth fix [test selector]`: reproduce the failure, try candidate fixes in a sandbox,
  and suggest the one seen passing.
- `/truth retry`: run the fix again on the current head commit.
- `/truth skip`: stop automatic runs on this pull request (adds the `truth:skip` label;
  `/truth fix` still works; remove the label to turn them back on).
- `/truth trace`: rebuild this pull request's telemetry trace from its commits.
- `/truth help`: this message (anyone may ask).

The command is the comment's first line, with its arguments on that line only."""
SKIPPED = (
    "Truth Engine will not run on its own on this pull request any more (label `truth:skip`). "
    "`/truth fix` still runs it; remove the label to turn automatic runs back on."
)


def review_marker(head_sha: str) -> str:
    return f"<!-- truth-engine:review {head_sha} -->"


def fallback_marker(head_sha: str) -> str:
    return f"<!-- truth-engine:fallback {head_sha} -->"


def session_url(public_url: str, session_id: str) -> str:
    return f"{public_url.rstrip('/')}/sessions/{session_id}"


def console_text(lines: Sequence[str], url: str | None = None) -> str:
    """The console in a fence no line can close, its end kept within the byte limit."""
    body = "\n".join(lines)
    fence = suggestion_fence(body)
    room = CHECK_TEXT_LIMIT - 2 * (len(fence) + 1)
    # Keep the end: the last console lines and the final verdict matter most.
    return f"{fence}\n{clip(body, room, url, keep='tail')}\n{fence}"


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
        FixStatus.ENVIRONMENT_ERROR: "The tests cannot run as the repository declares them",
        FixStatus.FLAKY: "Flaky: the failure did not reproduce the same way twice",
    }
    undecided = alternatives_section(outcome) if outcome.winner is None else ""
    summary = (
        f"{outcome.message}\n\n**Proof**\n\n{proof_summary(outcome)}\n\n"
        f"**Candidates tried**\n\n{candidates_table(outcome)}\n\n"
        + (f"{undecided}\n\n" if undecided else "")
        + f"Full session, logs and proof download: {url}"
    )
    return {
        "title": titles[outcome.status],
        "summary": clip(summary, CHECK_TEXT_LIMIT, url),
        "text": console_text(console, url),
    }


def alternatives_section(outcome: FixOutcome) -> str:
    """The other verified fixes, folded: when the tests accept several, a reviewer should see
    what else passed before taking the suggestion as the intended behaviour. Without a winner
    (the tests did not decide between fixes that answer differently), every one of them."""
    winner = outcome.winner
    others = [
        c
        for c in outcome.candidates
        if c.status == "verified" and (winner is None or c.id != winner.id)
    ]
    if not others:
        return ""
    summary = (
        f"The tests accept {len(others)} fix(es) but do not decide between them: add the test "
        "that does, and the right one can be verified"
        if winner is None
        else f"The tests also accept {len(others)} other fix(es), so they do not pin this "
        "behaviour down: check that the suggestion is the one you mean"
    )
    parts = [f"<details><summary>{summary}</summary>\n"]
    for candidate in others[:MAX_ALTERNATIVES_SHOWN]:
        diff = clip(candidate.diff.rstrip(), ALTERNATIVE_DIFF_BYTES)
        fence = suggestion_fence(diff)
        parts.append(
            f"\n{candidate.id} ({candidate.engine}): {clip(candidate.description.strip(), 300)}\n\n"
            f"{fence}diff\n{diff}\n{fence}\n"
        )
    if len(others) > MAX_ALTERNATIVES_SHOWN:
        parts.append(f"\n{len(others) - MAX_ALTERNATIVES_SHOWN} more in the session.\n")
    parts.append("</details>")
    return "".join(parts)


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
        f"{proof_summary(outcome)}\n\n"
        + (f"{alternatives}\n\n" if (alternatives := alternatives_section(outcome)) else "")
        + f"Proof and logs: {url}"
    )


def fallback_comment(diff: str, url: str, head_sha: str, fix_pr_note: str | None) -> str:
    """The whole verified diff; `fix_pr_note` says where the fix PR is, or why there is none."""
    extra = f"\n\n{fix_pr_note}" if fix_pr_note else ""
    return (
        f"{fallback_marker(head_sha)}\n**Truth Engine: verified fix outside this PR's diff.** "
        "GitHub only allows suggestions on lines the PR changes, so here is the whole verified "
        "patch; apply it with `git apply`."
        + extra
        + f"\n\n```diff\n{diff.rstrip()}\n```\n\nProof and logs: {url}"
    )


def fix_pr_linked(branch: str, pr_url: str) -> str:
    return (
        f"The fix is also on the branch `{branch}`, as a pull request into this one: {pr_url}. "
        "Merge it to add the fix to this PR."
    )


def fix_pr_from_fork(head_repository: str | None) -> str:
    where = f"the fork `{head_repository}`" if head_repository else "a fork that no longer exists"
    return (
        f"This PR comes from {where}, and Truth Engine cannot push to a fork, so it opened no "
        "pull request with the fix (`open_fix_pr` works for branches of this repository only). "
        "Apply the diff below to your branch."
    )


def fix_pr_forbidden() -> str:
    return (
        "Truth Engine could not open a pull request with the fix: GitHub refused to create the "
        "branch because the app may only read this repository's contents. To get fix pull "
        "requests, grant Contents: write to the app, or set open_fix_pr: false in "
        "`.github/truth.yml` to stop trying. Meanwhile, apply the diff below."
    )


def fix_pr_not_built(problem: str) -> str:
    return (
        f"Truth Engine could not build the fix branch ({problem}), so it opened no pull "
        "request. Apply the diff below instead; `/truth retry` tries again."
    )


def _fixed_tests(outcome: FixOutcome) -> list[str]:
    winner = outcome.winner
    return list(winner.verification.fixed_tests) if winner and winner.verification else []


def fix_commit_message(outcome: FixOutcome, number: int, url: str) -> str:
    """Says what the commit fixes and links the session that verified it."""
    winner = outcome.winner
    assert winner is not None
    fixed = _fixed_tests(outcome)
    what = ", ".join(fixed[:5]) + (f" and {len(fixed) - 5} more" if len(fixed) > 5 else "")
    verified = (
        f"Now passing in a sandbox: {what}." if fixed else "The failing tests pass in a sandbox."
    )
    return (
        f"Fix the failing tests of #{number}\n\n{winner.description.strip()}\n\n"
        f"{verified} No test that passed before broke. Verified fix by Truth Engine "
        f"(candidate {winner.id}, {winner.engine}).\n\nSession, logs and proof: {url}\n"
    )


def fix_pr_title(number: int) -> str:
    return f"Truth Engine: verified fix for #{number}"


def fix_pr_body(outcome: FixOutcome, number: int, head_ref: str, url: str) -> str:
    winner = outcome.winner
    assert winner is not None
    return (
        f"The failing tests of #{number} pass with this change (candidate {winner.id}, "
        f"{winner.engine}) in a sandbox with no network, and no test that passed before broke. "
        f"Merging this pull request adds the fix as one commit to `{head_ref}`.\n\n"
        f"{proof_summary(outcome)}\n\nSession, logs and proof: {url}"
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

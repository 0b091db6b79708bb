"""The check run's "Apply fix" button: the verified fix as one commit on the PR's own branch.

Only where the app may push: a branch of this repository, with Contents: write, that has not
moved since the fix was verified. Otherwise it says what is missing and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from githubkit import GitHub
from githubkit.exception import RequestFailed

from bot.github.client import split_repo
from bot.github.fix_pr import CheckoutFiles, _commit, fix_changes
from bot.github.pulls import PullRef
from bot.github.retry import explain, is_permission_refusal
from bot.repair.diffs import DiffError

log = logging.getLogger(__name__)

APPLY_ACTION = {
    "label": "Apply fix",
    "description": "Commit the verified fix to this branch",
    "identifier": "apply_fix",
}
RERUN_ACTION = {"label": "Re-run", "description": "Run Truth Engine again", "identifier": "rerun"}


@dataclass(frozen=True)
class Applied:
    message: str  # for the check run and the status comment
    commit_sha: str | None = None


async def apply_fix(
    gh: GitHub[Any], pull: PullRef, diff: str, checkout: CheckoutFiles, message: str
) -> Applied:
    """Commit `diff` onto the PR's head and move its branch there (never forced)."""
    if pull.from_fork:
        where = f"the fork `{pull.head_repository}`" if pull.head_repository else "a deleted fork"
        return Applied(
            f"Not applied: this PR's branch lives in {where}, and a GitHub App cannot push to "
            "forks. Accept the suggestions in the review, or apply the diff from the comment."
        )
    owner, name = split_repo(pull.repository)
    try:
        changes = fix_changes(checkout, diff)
        sha = await _commit(gh, owner, name, pull.head_sha, changes, message)
        data: Any = {"sha": sha, "force": False}
        await gh.rest.git.async_update_ref(owner, name, f"heads/{pull.head_ref}", data=data)
    except DiffError as exc:
        return Applied(f"Not applied: the fix no longer applies to the branch ({exc}).")
    except RequestFailed as exc:
        if is_permission_refusal(exc):
            return Applied(f"Not applied. {explain(exc)}")
        if exc.response.status_code == 422:
            return Applied(
                f"Not applied: `{pull.head_ref}` moved since the fix was verified, so committing "
                "it could undo newer work. Press Re-run to verify a fix for the new head."
            )
        raise
    log.info("applied the fix to %s#%s as %s", pull.repository, pull.number, sha[:7])
    return Applied(f"Applied: the fix is commit {sha[:7]} on `{pull.head_ref}`.", sha)

"""`open_fix_pr`: the verified fix as one commit on its own branch, and a PR into the PR's branch.

Built with the Git Data API (blobs, a tree over the head commit's tree, a commit, a ref), so no
clone is needed. Named after the session, so a retried job finds its branch and PR and reuses
them. Only for PRs whose branch lives in this repository: the app cannot push to forks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from githubkit import GitHub
from githubkit.exception import RateLimitExceeded, RequestFailed

from bot.fix.types import FixOutcome
from bot.github import comments
from bot.github.client import split_repo
from bot.repair.diffs import DiffError, apply_diff_in_memory, touched_paths

log = logging.getLogger(__name__)

BRANCH_PREFIX = "truth-engine/fix-"
FILE_MODE = "100644"
EXECUTABLE_MODE = "100755"


@dataclass(frozen=True)
class CheckoutFiles:
    """The files a diff touches as the head commit has them, read from the extracted checkout."""

    texts: dict[str, str]
    executable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TreeChange:
    """One path of the fix commit: its new text, or None when the fix deletes it."""

    path: str
    mode: str
    text: str | None


@dataclass(frozen=True)
class FixPr:
    """The fix PR's address when there is one, and the sentence for the fallback comment."""

    note: str
    url: str | None = None


def branch_name(session_id: str) -> str:
    return f"{BRANCH_PREFIX}{session_id}"


def read_checkout(root: Path, diff: str) -> CheckoutFiles:
    """The touched files that exist in the checkout; a missing one makes the diff fail later."""
    base = root.resolve()
    texts: dict[str, str] = {}
    executable: set[str] = set()
    for path in touched_paths(diff):
        file = (base / path).resolve()
        if not file.is_relative_to(base) or not file.is_file():
            continue
        try:
            texts[path] = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if file.stat().st_mode & 0o111:
            executable.add(path)
    return CheckoutFiles(texts, frozenset(executable))


def fix_changes(before: CheckoutFiles, diff: str) -> list[TreeChange]:
    """What the fix commit changes over the head tree; raises DiffError if the diff won't apply."""
    after = apply_diff_in_memory(before.texts, diff)
    changes = []
    for path in sorted(set(before.texts) | set(after)):
        if after.get(path) == before.texts.get(path):
            continue
        mode = EXECUTABLE_MODE if path in before.executable else FILE_MODE
        changes.append(TreeChange(path, mode, after.get(path)))
    return changes


async def _branch_exists(gh: GitHub[Any], owner: str, name: str, branch: str) -> bool:
    try:
        await gh.rest.git.async_get_ref(owner, name, f"heads/{branch}")
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return False
        raise
    return True


async def _commit(
    gh: GitHub[Any], owner: str, name: str, head_sha: str, changes: list[TreeChange], message: str
) -> str:
    entries: list[Any] = []
    for change in changes:
        sha: str | None = None
        if change.text is not None:
            blob_data: Any = {"content": change.text, "encoding": "utf-8"}
            blob = await gh.rest.git.async_create_blob(owner, name, data=blob_data)
            sha = blob.parsed_data.sha
        entries.append({"path": change.path, "mode": change.mode, "type": "blob", "sha": sha})
    head = (await gh.rest.git.async_get_commit(owner, name, head_sha)).parsed_data
    tree_data: Any = {"base_tree": head.tree.sha, "tree": entries}
    tree = (await gh.rest.git.async_create_tree(owner, name, data=tree_data)).parsed_data
    commit_data: Any = {"message": message, "tree": tree.sha, "parents": [head_sha]}
    commit = await gh.rest.git.async_create_commit(owner, name, data=commit_data)
    return commit.parsed_data.sha


async def _create_branch(gh: GitHub[Any], owner: str, name: str, branch: str, sha: str) -> None:
    try:
        data: Any = {"ref": f"refs/heads/{branch}", "sha": sha}
        await gh.rest.git.async_create_ref(owner, name, data=data)
    except RequestFailed as exc:
        # A concurrent attempt of the same job created it first; its commit is the same fix.
        if exc.response.status_code != 422 or not await _branch_exists(gh, owner, name, branch):
            raise


async def _find_pr(gh: GitHub[Any], owner: str, name: str, branch: str) -> str | None:
    found = await gh.rest.pulls.async_list(owner, name, head=f"{owner}:{branch}", state="all")
    # Typed Any: githubkit's PullsClient has a method named `list`, which confuses mypy here.
    pulls: Any = found.parsed_data
    return str(pulls[0].html_url) if pulls else None


async def _open_pr(
    gh: GitHub[Any], owner: str, name: str, branch: str, base: str, title: str, body: str
) -> str:
    existing = await _find_pr(gh, owner, name, branch)
    if existing is not None:
        return existing
    data: Any = {"title": title, "head": branch, "base": base, "body": body}
    try:
        created = await gh.rest.pulls.async_create(owner, name, data=data)
    except RequestFailed as exc:
        if exc.response.status_code != 422:
            raise
        # "A pull request already exists": a concurrent attempt opened it a moment ago.
        raced = await _find_pr(gh, owner, name, branch)
        if raced is None:
            raise
        return raced
    return created.parsed_data.html_url


async def open_fix_pr(
    gh: GitHub[Any],
    repository: str,
    number: int,
    head_sha: str,
    outcome: FixOutcome,
    url: str,
    checkout: CheckoutFiles,
) -> FixPr:
    """Reuse or create the session's fix branch and PR; never raises for a refusal it explains."""
    winner = outcome.winner
    assert winner is not None
    owner, name = split_repo(repository)
    pull = (await gh.rest.pulls.async_get(owner, name, number)).parsed_data
    head_repository = pull.head.repo.full_name if pull.head.repo else None
    if head_repository != repository:
        return FixPr(comments.fix_pr_from_fork(head_repository))
    branch = branch_name(outcome.session_id)
    try:
        if not await _branch_exists(gh, owner, name, branch):
            changes = fix_changes(checkout, winner.diff)
            message = comments.fix_commit_message(outcome, number, url)
            sha = await _commit(gh, owner, name, head_sha, changes, message)
            await _create_branch(gh, owner, name, branch, sha)
        pr_url = await _open_pr(
            gh,
            owner,
            name,
            branch,
            pull.head.ref,
            comments.fix_pr_title(number),
            comments.fix_pr_body(outcome, number, pull.head.ref, url),
        )
    except DiffError as exc:
        log.warning("fix branch for %s#%s not built: %s", repository, number, exc)
        return FixPr(comments.fix_pr_not_built(str(exc)))
    except RequestFailed as exc:
        if isinstance(exc, RateLimitExceeded) or exc.response.status_code != 403:
            raise
        log.info("no contents: write on %s; fix PR for #%s not opened", repository, number)
        return FixPr(comments.fix_pr_forbidden())
    return FixPr(comments.fix_pr_linked(branch, pr_url), pr_url)

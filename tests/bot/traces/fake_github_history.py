"""Commit history for the shared fake GitHub: PR commits, per-commit files, blobs, review comments.

The shared fake (tests/fixtures/fake_github.py) answers these four operations with GitHub's
static examples; this registers stateful handlers on its registry, which keep answering with
the examples for any repository a test did not give a history, so other tests see no change.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import httpx

from tests.fixtures.fake_github import FakeGitHub, _deep_merge, _handles, _repo


def _history(gh: FakeGitHub) -> dict[str, Any]:
    state: dict[str, Any] = gh.__dict__.setdefault(
        "trace_history", {"commits": {}, "details": {}, "blobs": {}, "review_comments": {}}
    )
    return state


def git_blob_sha(content: str) -> str:
    data = content.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def add_pr_commit(
    gh: FakeGitHub,
    repo: str,
    pull_number: int,
    *,
    sha: str,
    message: str,
    date: str,
    files: list[dict[str, Any]],
    author: str = "octocat",
) -> None:
    """files: {"filename", "status", "patch", "content" (after; omitted when removed)}."""
    state = _history(gh)
    commit = {
        "sha": sha,
        "commit": {
            "message": message,
            "author": {"name": author, "email": f"{author}@example.com", "date": date},
            "committer": {"name": author, "email": f"{author}@example.com", "date": date},
        },
        "author": {"login": author},
    }
    listed = []
    for file in files:
        entry = {k: v for k, v in file.items() if k != "content"}
        if "content" in file:
            blob = git_blob_sha(file["content"])
            state["blobs"][(repo, blob)] = file["content"]
            entry["sha"] = blob
        patch = file.get("patch", "")
        entry.setdefault("additions", sum(1 for ln in patch.splitlines() if ln.startswith("+")))
        entry.setdefault("deletions", sum(1 for ln in patch.splitlines() if ln.startswith("-")))
        listed.append(entry)
    state["commits"].setdefault((repo, pull_number), []).append(commit)
    state["details"][(repo, sha)] = {**commit, "files": listed}


def add_review_comment(
    gh: FakeGitHub, repo: str, pull_number: int, *, body: str, commit_id: str, at: str,
    user: str = "reviewer",
) -> None:  # fmt: skip
    _history(gh)["review_comments"].setdefault((repo, pull_number), []).append(
        {"body": body, "commit_id": commit_id, "created_at": at, "user": {"login": user}}
    )


def _page(req: httpx.Request, items: list[Any]) -> list[Any]:
    page, per_page = int(req.url.params.get("page", "1")), int(req.url.params.get("per_page", "30"))
    return items[(page - 1) * per_page : page * per_page]


@_handles("pulls/list-commits")
def _list_commits(
    gh: FakeGitHub, params: dict[str, str], body: Any, req: httpx.Request
) -> httpx.Response:
    found = _history(gh)["commits"].get((_repo(params), int(params["pull_number"])))
    if found is None:
        return httpx.Response(200, json=gh.example_for("pulls/list-commits"))
    template = gh.example_for("pulls/list-commits")[0]
    return httpx.Response(200, json=[_deep_merge(template, c) for c in _page(req, found)])


@_handles("repos/get-commit")
def _get_commit(
    gh: FakeGitHub, params: dict[str, str], body: Any, req: httpx.Request
) -> httpx.Response:
    found = _history(gh)["details"].get((_repo(params), params["ref"]))
    if found is None:
        return httpx.Response(200, json=gh.example_for("repos/get-commit"))
    template = gh.example_for("repos/get-commit")
    file_template = template["files"][0]
    merged = _deep_merge({k: v for k, v in template.items() if k != "files"}, found)
    merged["files"] = [{**file_template, **f} for f in found["files"]]
    return httpx.Response(200, json=merged)


@_handles("git/get-blob")
def _get_blob(
    gh: FakeGitHub, params: dict[str, str], body: Any, req: httpx.Request
) -> httpx.Response:
    content = _history(gh)["blobs"].get((_repo(params), params["file_sha"]))
    if content is None:
        return httpx.Response(200, json=gh.example_for("git/get-blob"))
    encoded = base64.b64encode(content.encode()).decode()
    blob = {"sha": params["file_sha"], "size": len(content.encode()), "content": encoded,
            "encoding": "base64"}  # fmt: skip
    return httpx.Response(200, json={**gh.example_for("git/get-blob"), **blob})


@_handles("pulls/list-review-comments")
def _review_comments(
    gh: FakeGitHub, params: dict[str, str], body: Any, req: httpx.Request
) -> httpx.Response:
    found = _history(gh)["review_comments"].get((_repo(params), int(params["pull_number"])))
    if found is None:
        return httpx.Response(200, json=gh.example_for("pulls/list-review-comments"))
    template = gh.example_for("pulls/list-review-comments")[0]
    return httpx.Response(200, json=[_deep_merge(template, c) for c in _page(req, found)])

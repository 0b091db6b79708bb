"""The fake GitHub enforces GitHub's documented rules: each rule checked against the fake."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest
from githubkit import AppAuthStrategy, GitHub
from githubkit.exception import (
    PrimaryRateLimitExceeded,
    RequestFailed,
    SecondaryRateLimitExceeded,
)

from tests.fixtures.github import FakeGitHub, fork_check_run, fork_workflow_run

API = "https://api.github.com"
REPO = "Codertocat/Hello-World"
AS_INSTALLATION = {"Authorization": "token ghs_test"}


def installation() -> GitHub[Any]:
    return GitHub("ghs_test", base_url=API, auto_retry=False)


def jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2ln"


def test_app_jwt_mints_tokens_but_is_refused_on_repository_endpoints(
    fake_github: FakeGitHub, private_key: str
) -> None:
    app = GitHub(AppAuthStrategy("1", private_key), base_url=API, auto_retry=False)
    token = app.rest.apps.create_installation_access_token(42).parsed_data.token
    assert token.startswith("ghs_")
    now = int(time.time())
    as_app = {"Authorization": f"Bearer {jwt({'iss': '1', 'iat': now, 'exp': now + 540})}"}
    assert httpx.get(f"{API}/repos/{REPO}/pulls/1", headers=as_app).status_code == 401
    assert "app's JWT only works on /app" in fake_github.violations.pop()


def test_an_installation_token_cannot_mint_tokens(fake_github: FakeGitHub) -> None:
    gh = installation()
    with pytest.raises(RequestFailed) as refused:
        gh.rest.apps.create_installation_access_token(42)
    assert refused.value.response.status_code == 401
    assert "takes the app's JWT, not a installation token" in fake_github.violations.pop()


def test_an_expired_or_too_long_jwt_is_refused(fake_github: FakeGitHub) -> None:
    now = int(time.time())
    url = f"{API}/app/installations/42/access_tokens"
    for claims, why in (
        ({"iss": "1", "iat": now - 700, "exp": now - 60}, "in the future"),
        ({"iss": "1", "iat": now, "exp": now + 3600}, "too far in the future"),
    ):
        answer = httpx.post(url, headers={"Authorization": f"Bearer {jwt(claims)}"})
        assert answer.status_code == 401 and why in answer.json()["message"]
        assert why in fake_github.violations.pop()


def test_no_credentials_and_user_only_endpoints(fake_github: FakeGitHub) -> None:
    assert httpx.get(f"{API}/repos/{REPO}/pulls/1").status_code == 401
    assert "without credentials" in fake_github.violations.pop()
    assert httpx.get(f"{API}/user", headers=AS_INSTALLATION).status_code == 403
    assert "needs a user's token" in fake_github.violations.pop()


def test_query_parameters_are_checked_against_the_description(fake_github: FakeGitHub) -> None:
    base = f"{API}/repos/{REPO}/commits/{'a' * 40}/check-runs"
    assert httpx.get(base, params={"filter": "all"}, headers=AS_INSTALLATION).status_code == 200
    answer = httpx.get(base, params={"filter": "newest"}, headers=AS_INSTALLATION)
    assert answer.status_code == 422
    assert "filter='newest'" in fake_github.violations.pop()
    answer = httpx.get(base, params={"sort": "name"}, headers=AS_INSTALLATION)
    assert answer.status_code == 422
    assert "'sort' is not one this operation takes" in fake_github.violations.pop()
    answer = httpx.get(base, params={"per_page": "many"}, headers=AS_INSTALLATION)
    assert answer.status_code == 422
    assert "per_page" in fake_github.violations.pop()


def test_lists_are_paginated_thirty_by_default_with_link_headers(fake_github: FakeGitHub) -> None:
    files = [{"filename": f"f{i}.py", "patch": "@@ -1 +1 @@\n-a\n+b"} for i in range(75)]
    fake_github.add_pull(REPO, 3, head_sha="b" * 40, files=files)
    url = f"{API}/repos/{REPO}/pulls/3/files"
    first = httpx.get(url, headers=AS_INSTALLATION)
    assert len(first.json()) == 30
    assert 'rel="next"' in first.headers["link"] and "page=3" in first.headers["link"]
    last = httpx.get(url, params={"page": 3}, headers=AS_INSTALLATION)
    assert len(last.json()) == 15 and 'rel="next"' not in last.headers["link"]
    capped = httpx.get(url, params={"per_page": 500}, headers=AS_INSTALLATION)
    assert len(capped.json()) == 75  # per_page above 100 is capped, not refused
    gh = installation()
    names = [
        f.filename
        for f in gh.rest.paginate(
            gh.rest.pulls.list_files, owner="Codertocat", repo="Hello-World", pull_number=3
        )
    ]
    assert names == [f"f{i}.py" for i in range(75)]


def test_text_fields_over_githubs_limits_are_refused(fake_github: FakeGitHub) -> None:
    url = f"{API}/repos/{REPO}/issues/1/comments"
    fits = "é" * (65_536 // 2)  # 65,536 UTF-8 bytes
    assert httpx.post(url, json={"body": fits}, headers=AS_INSTALLATION).status_code == 201
    answer = httpx.post(url, json={"body": fits + "x"}, headers=AS_INSTALLATION)
    assert answer.status_code == 422
    assert "too long" in fake_github.violations.pop()
    runs = f"{API}/repos/{REPO}/check-runs"
    big = {"name": "n", "head_sha": "a" * 40, "output": {"title": "t", "summary": "s" * 65_536}}
    assert httpx.post(runs, json=big, headers=AS_INSTALLATION).status_code == 422
    assert "output/summary" in fake_github.violations.pop()  # the description's maxLength
    wide = {**big, "output": {"title": "t", "summary": "é" * 40_000}}  # 80,000 UTF-8 bytes
    assert httpx.post(runs, json=wide, headers=AS_INSTALLATION).status_code == 422
    assert "output.summary is longer than 65535 bytes" in fake_github.violations.pop()
    note = {"path": "a.py", "start_line": 1, "end_line": 1, "annotation_level": "notice",
            "message": "m"}  # fmt: skip
    many = {"name": "n", "head_sha": "a" * 40,
            "output": {"title": "t", "summary": "s", "annotations": [note] * 51}}  # fmt: skip
    assert httpx.post(runs, json=many, headers=AS_INSTALLATION).status_code == 422
    assert "output/annotations" in fake_github.violations.pop()  # maxItems 50


def test_fork_prs_are_found_by_head_branch_not_by_commit(fake_github: FakeGitHub) -> None:
    head = "f" * 40
    fake_github.add_pull(REPO, 9, head_sha=head, head_ref="patch-1", head_repo="forker/Hello-World")
    payload = fork_check_run(REPO, installation_id=1, head_sha=head, head_branch="patch-1")
    assert payload["check_run"]["pull_requests"] == []
    run = fork_workflow_run(REPO, "forker/Hello-World", installation_id=1, head_sha=head,
                            head_branch="patch-1")  # fmt: skip
    assert run["workflow_run"]["head_repository"]["full_name"] != run["repository"]["full_name"]
    by_commit = httpx.get(f"{API}/repos/{REPO}/commits/{head}/pulls", headers=AS_INSTALLATION)
    assert by_commit.json() == []
    by_head = httpx.get(
        f"{API}/repos/{REPO}/pulls", params={"head": "forker:patch-1"}, headers=AS_INSTALLATION
    ).json()
    assert [p["number"] for p in by_head] == [9]
    assert by_head[0]["head"]["repo"]["full_name"] == "forker/Hello-World"


def test_filter_latest_hides_runs_a_rerun_replaced(fake_github: FakeGitHub) -> None:
    head = "c" * 40
    first = fake_github.add_check_run(REPO, head_sha=head, name="tests", conclusion="failure")
    second = fake_github.add_check_run(REPO, head_sha=head, name="tests", conclusion="success")
    url = f"{API}/repos/{REPO}/commits/{head}/check-runs"
    latest = httpx.get(url, headers=AS_INSTALLATION).json()["check_runs"]
    assert [r["id"] for r in latest] == [second["id"]]
    every = httpx.get(url, params={"filter": "all"}, headers=AS_INSTALLATION).json()
    assert {r["id"] for r in every["check_runs"]} == {first["id"], second["id"]}
    for attempt, job in ((1, 11), (2, 12)):
        fake_github.add_workflow_job(REPO, run_id=5, job_id=job, name="t", conclusion="failure",
                                     log="x", run_attempt=attempt)  # fmt: skip
    jobs = f"{API}/repos/{REPO}/actions/runs/5/jobs"
    assert [j["id"] for j in httpx.get(jobs, headers=AS_INSTALLATION).json()["jobs"]] == [12]
    all_jobs = httpx.get(jobs, params={"filter": "all"}, headers=AS_INSTALLATION).json()
    assert [j["id"] for j in all_jobs["jobs"]] == [11, 12]


def test_rate_limits_with_and_without_retry_after(fake_github: FakeGitHub) -> None:
    gh = installation()
    fake_github.add_pull(REPO, 4, head_sha="d" * 40)
    fake_github.rate_limit_next("GET", r"/pulls/4$", retry_after=7)
    with pytest.raises(SecondaryRateLimitExceeded) as secondary:
        gh.rest.pulls.get("Codertocat", "Hello-World", 4)
    assert secondary.value.retry_after.total_seconds() == 7
    fake_github.rate_limit_next("GET", r"/pulls/4$", secondary=False, reset_in=120)
    with pytest.raises(PrimaryRateLimitExceeded) as primary:
        gh.rest.pulls.get("Codertocat", "Hello-World", 4)
    assert 100 < primary.value.retry_after.total_seconds() <= 120
    # No header at all: only the message says it is a secondary limit.
    fake_github.rate_limit_next("GET", r"/pulls/4$")
    with pytest.raises(RequestFailed) as bare:
        gh.rest.pulls.get("Codertocat", "Hello-World", 4)
    assert bare.value.response.status_code == 403
    assert "secondary rate limit" in bare.value.response.json()["message"]
    assert gh.rest.pulls.get("Codertocat", "Hello-World", 4).parsed_data.number == 4


def test_a_502_after_the_write_happened(fake_github: FakeGitHub) -> None:
    fake_github.fail_after_write("POST", r"/issues/\d+/comments$")
    url = f"{API}/repos/{REPO}/issues/1/comments"
    answer = httpx.post(url, json={"body": "hello"}, headers=AS_INSTALLATION)
    assert answer.status_code == 502
    assert [c["body"] for c in fake_github.comments] == ["hello"]


def test_a_permanent_403_answers_every_time(fake_github: FakeGitHub) -> None:
    fake_github.refuse("POST", r"/git/refs$")
    url = f"{API}/repos/{REPO}/git/refs"
    for _ in range(2):
        answer = httpx.post(url, json={"ref": "refs/heads/x", "sha": "a" * 40},
                            headers=AS_INSTALLATION)  # fmt: skip
        assert answer.status_code == 403
        assert answer.json()["message"] == "Resource not accessible by integration"
    assert fake_github.refs_created == []


def test_conditional_requests_answer_304_when_unchanged(fake_github: FakeGitHub) -> None:
    fake_github.add_pull(REPO, 6, head_sha="e" * 40)
    url = f"{API}/repos/{REPO}/pulls/6"
    first = httpx.get(url, headers=AS_INSTALLATION)
    again = httpx.get(url, headers={**AS_INSTALLATION, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    fake_github.move_head(REPO, 6, "9" * 40)
    moved = httpx.get(url, headers={**AS_INSTALLATION, "If-None-Match": first.headers["etag"]})
    assert moved.status_code == 200 and moved.json()["head"]["sha"] == "9" * 40


def test_a_hook_runs_once_after_its_operation(fake_github: FakeGitHub) -> None:
    fake_github.add_pull(REPO, 7, head_sha="1" * 40)
    fake_github.on_call("pulls/get", lambda: fake_github.move_head(REPO, 7, "2" * 40))
    url = f"{API}/repos/{REPO}/pulls/7"
    assert httpx.get(url, headers=AS_INSTALLATION).json()["head"]["sha"] == "1" * 40
    assert httpx.get(url, headers=AS_INSTALLATION).json()["head"]["sha"] == "2" * 40
    assert fake_github.hooks == []

"""The shared fake GitHub itself: it must reject what GitHub rejects and remember what it got."""

from __future__ import annotations

import httpx
import pytest
from githubkit import GitHub

from tests.fixtures.github import FakeGitHub, load_payload, openapi_spec, sign, signed_delivery

REPO = "Codertocat/Hello-World"
# An installation's token: the fake refuses repository endpoints without one.
AS_INSTALLATION = {"Authorization": "token ghs_test"}


def client() -> GitHub:  # type: ignore[type-arg]
    return GitHub("ghs_test", base_url="https://api.github.com", auto_retry=False)


def test_check_run_created_and_updated_is_recorded(fake_github: FakeGitHub) -> None:
    gh = client()
    created = gh.rest.checks.create(
        "Codertocat",
        "Hello-World",
        data={"name": "Truth Engine", "head_sha": "a" * 40, "status": "in_progress"},
    ).parsed_data
    gh.rest.checks.update(
        "Codertocat",
        "Hello-World",
        created.id,
        data={"conclusion": "success", "output": {"title": "t", "summary": "s"}},
    )
    assert fake_github.check_runs[0]["id"] == created.id
    assert fake_github.check_runs[0]["status"] == "completed"
    assert fake_github.check_runs[0]["output"]["summary"] == "s"
    assert fake_github.calls("checks/update")[0].json["conclusion"] == "success"


def test_a_body_github_would_reject_is_a_violation(fake_github: FakeGitHub) -> None:
    response = httpx.post(
        "https://api.github.com/repos/Codertocat/Hello-World/check-runs",
        json={"name": "x", "head_sha": "a", "status": "finished"},
        headers=AS_INSTALLATION,
    )
    assert response.status_code == 422
    assert "finished" in fake_github.violations[0]
    fake_github.violations.clear()  # the fixture would fail this test otherwise


def test_an_operation_github_does_not_have_is_a_violation(fake_github: FakeGitHub) -> None:
    response = httpx.get("https://api.github.com/repos/a/b/no-such-thing/1")
    assert response.status_code == 404
    assert fake_github.violations == [
        "GET /repos/a/b/no-such-thing/1: no such operation in GitHub's REST API"
    ]
    fake_github.violations.clear()


def test_unconfigured_operations_answer_with_the_spec_example(fake_github: FakeGitHub) -> None:
    response = httpx.get(
        "https://api.github.com/repos/Codertocat/Hello-World/commits/abc", headers=AS_INSTALLATION
    )
    assert response.status_code == 200
    assert "sha" in response.json() and "commit" in response.json()
    assert fake_github.requests[0].operation_id == "repos/get-commit"


def test_review_outside_the_diff_is_rejected_like_github(fake_github: FakeGitHub) -> None:
    fake_github.add_pull(
        REPO,
        2,
        head_sha="b" * 40,
        files=[{"filename": "a.py", "patch": "@@ -1,2 +1,3 @@\n x\n+y\n z"}],
    )
    url = "https://api.github.com/repos/Codertocat/Hello-World/pulls/2/reviews"
    inside = {
        "event": "COMMENT",
        "body": "b",
        "comments": [
            {
                "path": "a.py",
                "line": 3,
                "start_line": 2,
                "side": "RIGHT",
                "start_side": "RIGHT",
                "body": "c",
            }
        ],
    }
    outside = {
        "event": "COMMENT",
        "body": "b",
        "comments": [{"path": "a.py", "line": 9, "side": "RIGHT", "body": "c"}],
    }
    assert httpx.post(url, json=inside, headers=AS_INSTALLATION).status_code == 200
    assert httpx.post(url, json=outside, headers=AS_INSTALLATION).status_code == 422
    assert len(fake_github.reviews) == 1


def test_tarball_and_logs_follow_githubs_redirects(fake_github: FakeGitHub) -> None:
    fake_github.set_tarball(REPO, "c" * 40, {"a.py": "print(1)\n"})
    fake_github.add_workflow_job(
        REPO, run_id=5, job_id=7, name="t", conclusion="failure", log="boom"
    )
    gh = client()
    tarball = gh.rest.repos.download_tarball_archive("Codertocat", "Hello-World", "c" * 40)
    assert tarball.content[:2] == b"\x1f\x8b"
    logs = gh.rest.actions.download_job_logs_for_workflow_run("Codertocat", "Hello-World", 7)
    assert logs.text == "boom"


def test_injected_failure_answers_once(fake_github: FakeGitHub) -> None:
    fake_github.fail_next("GET", r"/pulls/2$", 502)
    fake_github.add_pull(REPO, 2, head_sha="d" * 40)
    url = "https://api.github.com/repos/Codertocat/Hello-World/pulls/2"
    assert httpx.get(url, headers=AS_INSTALLATION).status_code == 502
    assert httpx.get(url, headers=AS_INSTALLATION).json()["head"]["sha"] == "d" * 40


def test_other_hosts_are_refused(fake_github: FakeGitHub) -> None:
    with pytest.raises(Exception, match="not mocked"):
        httpx.get("https://example.com/")


def test_spec_nullable_fields_accept_null() -> None:
    spec = openapi_spec()
    operation, _ = spec.match("POST", "/repos/o/r/issues")  # type: ignore[misc]
    validator = spec.body_validator(operation)
    assert validator is not None
    assert validator.is_valid({"title": "t", "milestone": None})
    assert not validator.is_valid({"title": 5.5j if False else ["not", "a", "title"]})


def test_signed_delivery_signs_the_exact_body() -> None:
    payload = load_payload("check_run")
    body, headers = signed_delivery("check_run", payload, "s3cret", delivery_id="d1")
    assert headers["X-Hub-Signature-256"] == sign(body, "s3cret")
    assert headers["X-GitHub-Event"] == "check_run" and headers["X-GitHub-Delivery"] == "d1"

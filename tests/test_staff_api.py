"""The staff JSON API: token auth, roles, case actions with the procedure's refusals, the loop."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedbackbot.core import timekeeping
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user, issue_api_token
from tests.openapi_check import assert_matches_openapi


@pytest.fixture(autouse=True)
def monday():
    timekeeping.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    yield
    timekeeping.freeze(None)


@pytest.fixture
def tokens(app):
    out = {}
    for role in ("complaints", "participation", "manager"):
        person = create_staff_user(f"{role}@trust.example", role, "a-long-enough-password", name=role.title())
        out[role] = {"Authorization": f"Bearer {issue_api_token(person, 'tests')}"}
    return out


def test_no_token_or_a_bad_token_is_401(client, tokens):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/staff/complaints", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert_matches_openapi(response, "/api/staff/complaints", "get")


def test_the_token_cli_prints_a_token_once(runner, tokens, client):
    result = runner.invoke(args=["users", "token", "--email", "manager@trust.example", "--name", "reports"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert (
        client.get("/api/staff/complaints", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert runner.invoke(args=["users", "token", "--email", "nobody@x.org"]).exit_code == 2


def test_a_case_through_the_api(client, tokens):
    feedback = record_feedback(kind="complaint", text="nobody told me my review moved", channel="web_chat")
    opened = client.post(
        "/api/staff/complaints",
        json={"feedback_reference": feedback.reference, "procedure": "statutory", "relationship": "self"},
        headers=tokens["complaints"],
    )
    assert opened.status_code == 201, opened.json
    assert_matches_openapi(opened, "/api/staff/complaints", "post")
    assert opened.json["deadlines"][0] == {"what": "acknowledge", "due": "2026-11-26", "stage": 1}
    path = f"/api/staff/complaints/{feedback.reference}"
    acted = client.post(f"{path}/acknowledge", json={"on": "2026-11-23"}, headers=tokens["complaints"])
    assert acted.status_code == 200
    assert_matches_openapi(acted, "/api/staff/complaints/{reference}/{action}", "post")
    refused = client.post(f"{path}/extend", json={}, headers=tokens["complaints"])
    assert refused.status_code == 409 and "needs a reason" in refused.json["error"]["message"]
    assert_matches_openapi(refused, "/api/staff/complaints/{reference}/{action}", "post")
    bad_date = client.post(
        f"{path}/respond",
        json={"on": "23/11/2026", "outcome": "upheld", "text": "x"},
        headers=tokens["complaints"],
    )
    assert bad_date.status_code == 400
    responded = client.post(
        f"{path}/respond", json={"outcome": "upheld", "text": "Sorry."}, headers=tokens["complaints"]
    )
    assert responded.json["stages"][0]["answered_in_time"] is True
    twice = client.post(
        f"{path}/respond", json={"outcome": "upheld", "text": "Again."}, headers=tokens["complaints"]
    )
    assert twice.status_code == 409 and "already answered" in twice.json["error"]["message"]
    assert client.post(f"{path}/fly", json={}, headers=tokens["complaints"]).status_code == 404
    detail = client.get(path, headers=tokens["manager"])
    assert detail.json["text"] == "nobody told me my review moved"
    assert_matches_openapi(detail, "/api/staff/complaints/{reference}", "get")


def test_roles_apply_to_the_api_too(client, tokens):
    assert client.get("/api/staff/complaints", headers=tokens["participation"]).status_code == 403
    assert client.get("/api/staff/loop-tasks", headers=tokens["complaints"]).status_code == 403
    response = client.post(
        "/api/staff/complaints",
        json={"text": "x", "channel": "letter", "procedure": "statutory", "relationship": "parent"},
        headers=tokens["participation"],
    )
    assert response.status_code == 403
    assert_matches_openapi(response, "/api/staff/complaints", "post")


def test_closing_the_loop_through_the_api_checks_wording(client, tokens):
    feedback = record_feedback(kind="compliment", text="thanks Kez", channel="web_chat")
    recorded = client.post(
        f"/api/staff/feedback/{feedback.reference}/outcome",
        json={"outcome": "Passed on to Kez"},
        headers=tokens["participation"],
    )
    assert recorded.status_code == 200
    assert_matches_openapi(recorded, "/api/staff/feedback/{reference}/outcome", "post")
    task_id = recorded.json["loop_task"]
    tasks = client.get("/api/staff/loop-tasks", headers=tokens["participation"])
    assert [t["id"] for t in tasks.json["loop_tasks"]] == [task_id]
    url = f"/api/staff/loop-tasks/{task_id}/close"
    found = client.post(
        url,
        json={"message": "Kez was so pleased, and so was your foster carer.", "method": "web"},
        headers=tokens["participation"],
    )
    assert found.status_code == 422
    assert_matches_openapi(found, "/api/staff/loop-tasks/{task_id}/close", "post")
    assert found.json["rewritten"] == "Kez was so pleased, and so was your carer."
    sent = client.post(
        url, json={"message": found.json["rewritten"], "method": "web"}, headers=tokens["participation"]
    )
    assert sent.status_code == 200 and sent.json["status"] == "done"
    assert_matches_openapi(sent, "/api/staff/loop-tasks/{task_id}/close", "post")


def test_the_queue_through_the_api(client, tokens):
    record_feedback(kind="complaint", text="x", channel="web_chat")
    response = client.get("/api/staff/queue", headers=tokens["complaints"])
    assert response.status_code == 200
    assert_matches_openapi(response, "/api/staff/queue", "get")
    assert response.json["items"][0]["kind"] == "new_complaint"

"""Bad input anywhere gets a clear 4xx, never a 500: every field of every write endpoint, wrong types."""

from __future__ import annotations

import pytest

from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user, issue_api_token

WRONG = [1, None, [], {"a": 1}, True, "x" * 300, "not-a-date"]
ACTIONS = [
    "acknowledge",
    "assign_lead",
    "advocate",
    "extend",
    "pause",
    "resume",
    "respond",
    "escalate",
    "start_mediation",
    "mediation_outcome",
    "statement_agreed",
    "panel_met",
    "panel_reported",
    "close",
    "reopen",
]
FIELDS = ["on", "reason", "outcome", "text", "answer", "lead_email", "late_reason"]


@pytest.fixture
def tokens(app):
    complaints = create_staff_user("c@trust.example", "complaints", "a-long-enough-password", name="C")
    participation = create_staff_user("p@trust.example", "participation", "a-long-enough-password", name="P")
    return {
        "complaints": {"Authorization": f"Bearer {issue_api_token(complaints, 't')}"},
        "participation": {"Authorization": f"Bearer {issue_api_token(participation, 't')}"},
    }


def assert_4xx(response, what):
    assert 400 <= response.status_code < 500, (
        what,
        response.status_code,
        response.get_data(as_text=True)[:200],
    )
    assert response.json["error"]["message"]


@pytest.mark.parametrize(
    "field",
    [
        "procedure",
        "relationship",
        "feedback_reference",
        "text",
        "channel",
        "received_on",
        "complainant_name",
        "about_child",
        "events_date",
        "late_reason",
    ],
)
def test_opening_a_complaint_with_wrong_types(client, tokens, field):
    for value in WRONG:
        body = {
            "procedure": "statutory",
            "relationship": "parent",
            "text": "t",
            "channel": "letter",
            field: value,
        }
        response = client.post("/api/staff/complaints", json=body, headers=tokens["complaints"])
        if response.status_code != 201:
            assert_4xx(response, (field, value))


@pytest.mark.parametrize("action", ACTIONS)
def test_case_actions_with_wrong_types(client, tokens, action):
    feedback = record_feedback(kind="complaint", text="x", channel="web_chat")
    opened = client.post(
        "/api/staff/complaints",
        json={"procedure": "statutory", "relationship": "self", "feedback_reference": feedback.reference},
        headers=tokens["complaints"],
    )
    assert opened.status_code == 201
    for field in FIELDS:
        for value in WRONG:
            response = client.post(
                f"/api/staff/complaints/{feedback.reference}/{action}",
                json={field: value},
                headers=tokens["complaints"],
            )
            if response.status_code != 200:
                assert_4xx(response, (action, field, value))


def test_outcomes_and_the_loop_with_wrong_types(client, tokens):
    feedback = record_feedback(kind="idea", text="x", channel="web_chat")
    for value in WRONG[:5]:
        assert_4xx(
            client.post(
                f"/api/staff/feedback/{feedback.reference}/outcome",
                json={"outcome": value},
                headers=tokens["participation"],
            ),
            value,
        )
    task = client.post(
        f"/api/staff/feedback/{feedback.reference}/outcome",
        json={"outcome": "done"},
        headers=tokens["participation"],
    ).json["loop_task"]
    for body in ({"message": 5}, {"message": "hi", "method": 5}, {"message": "hi", "method": "pigeon"}):
        assert_4xx(
            client.post(f"/api/staff/loop-tasks/{task}/close", json=body, headers=tokens["participation"]),
            body,
        )


def test_coming_back_with_wrong_types(client):
    for value in WRONG:
        response = client.post("/api/feedback/status", json={"reference": value, "code": value})
        assert_4xx(response, value)


def test_dashboard_learning_action_with_a_bad_item(client, app):
    create_staff_user("c@trust.example", "complaints", "a-long-enough-password", name="C")
    client.post("/login", data={"email": "c@trust.example", "password": "a-long-enough-password"})
    feedback = record_feedback(kind="complaint", text="x", channel="web_chat")
    client.post(
        f"/staff/feedback/{feedback.reference}/complaint",
        data={"procedure": "statutory", "relationship": "self"},
    )
    for item in ("abc", "", "999"):
        response = client.post(
            f"/staff/complaints/{feedback.reference}/learning_done", data={"item": item, "evidence": "e"}
        )
        assert 400 <= response.status_code < 500, (item, response.status_code)

"""The learning register: owners in any role see theirs in the queue and complete them; filters; export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from feedbackbot.services import complaints
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user
from tests.support import today_is

PASSWORD = "a-long-enough-password"


@pytest.fixture
def register(app):
    today_is(date(2026, 11, 2))
    people = {
        role: create_staff_user(f"{role}@trust.example", role, PASSWORD, name=f"{role.title()} Person")
        for role in ("complaints", "participation", "worker")
    }
    feedback = record_feedback(kind="complaint", text="nobody told me my review moved", channel="web_chat")
    case = complaints.open_complaint(
        people["complaints"],
        procedure="statutory",
        relationship="self",
        feedback_reference=feedback.reference,
    )
    mine = complaints.add_learning_action(
        people["complaints"],
        case,
        "Send review dates in writing",
        people["participation"],
        date(2026, 11, 20),
    )
    other = complaints.add_learning_action(
        people["complaints"], case, "Train managers on reviews", people["complaints"], date(2026, 11, 5)
    )
    return {"people": people, "case": case, "mine": mine, "other": other}


def sign_in(client, role):
    assert (
        client.post("/login", data={"email": f"{role}@trust.example", "password": PASSWORD}).status_code
        == 302
    )


def test_a_participation_owner_sees_theirs_in_the_queue_and_completes_it(client, register):
    sign_in(client, "participation")
    queue = client.get("/staff/").get_data(as_text=True)
    assert "Send review dates in writing" in queue and "Train managers" not in queue
    page = client.get("/staff/learning").get_data(as_text=True)
    assert "Send review dates in writing" in page and "Train managers" not in page
    response = client.post(
        f"/staff/learning/{register['mine'].id}/done", data={"evidence": "Template letter in use"}
    )
    assert response.status_code == 303
    done = client.get("/staff/learning?status=done").get_data(as_text=True)
    assert "Template letter in use" in done
    assert "Send review dates in writing" not in client.get("/staff/").get_data(as_text=True)


def test_someone_else_cannot_complete_an_action_they_do_not_own(client, register):
    sign_in(client, "worker")
    client.post(f"/staff/learning/{register['other'].id}/done", data={"evidence": "x"})
    assert register["other"].done is False
    assert "only its owner" in client.get("/staff/learning").get_data(as_text=True)


def test_the_complaints_team_filters_and_exports_the_register(client, register):
    sign_in(client, "complaints")
    overdue_day = date(2026, 11, 10)
    today_is(overdue_day)
    page = client.get("/staff/learning?status=overdue").get_data(as_text=True)
    assert "Train managers on reviews" in page and "Send review dates" not in page
    owner = register["people"]["participation"].id
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/staff/learning.csv?status=all&owner={owner}").get_data(as_text=True))
        )
    )
    assert rows[0][:3] == ["Complaint", "Learning action", "Owner"]
    assert [r[1] for r in rows[1:]] == ["Send review dates in writing"]
    assert client.get("/staff/learning?status=later").status_code == 400
    assert client.get("/staff/learning?owner=abc").status_code == 400

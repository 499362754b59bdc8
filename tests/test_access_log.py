"""The access log: each opening of a disclosure's words is recorded, and only admins see the log."""

from __future__ import annotations

import pytest
from flask import g

from feedbackbot.extensions import db
from feedbackbot.models import SafeguardingAlert
from feedbackbot.services import access_log
from feedbackbot.services import complaints as svc
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user, issue_api_token

PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def each_request_loads_its_own_user(app):
    """The test app context outlives requests, so `g` would carry one client's user into another's."""

    def forget() -> None:
        g.pop("_login_user", None)

    app.before_request(forget)


def sign_in(client, email):
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def test_openings_of_a_disclosure_are_logged_and_shown_to_admins(app, client):
    officer = create_staff_user("officer@trust.example", "complaints", PASSWORD, name="Morgan Ellis")
    create_staff_user("admin@trust.example", "admin", PASSWORD, name="Ada Admin")
    disclosure = record_feedback(kind="complaint", text="my carer hits me", channel="web_chat")
    disclosure.safeguarding = True
    ordinary = record_feedback(kind="idea", text="more trips", channel="web_chat")
    alert = SafeguardingAlert(
        text="my carer hits me", categories=["abuse"], source="chat", who="young person"
    )
    db.session.add(alert)
    db.session.commit()

    sign_in(client, "officer@trust.example")
    assert "my carer hits me" in client.get(f"/staff/feedback/{disclosure.reference}").get_data(as_text=True)
    client.get(f"/staff/feedback/{ordinary.reference}")
    client.get(f"/staff/safeguarding/{alert.id}")
    complaint = svc.open_complaint(
        officer, feedback_reference=disclosure.reference, procedure="statutory", relationship="self"
    )
    token = issue_api_token(officer, "tool")
    api = app.test_client().get(
        f"/api/staff/complaints/{complaint.reference}", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.json["text"] == "my carer hits me"

    rows = [(r.staff.email, r.reference, r.channel) for r in access_log.recent_openings()]
    assert rows == [
        ("officer@trust.example", disclosure.reference, "api"),
        ("officer@trust.example", alert.reference, "dashboard"),
        ("officer@trust.example", disclosure.reference, "dashboard"),
    ]
    assert client.get("/staff/access-log").status_code == 403

    admin = app.test_client()
    sign_in(admin, "admin@trust.example")
    page = admin.get("/staff/access-log").get_data(as_text=True)
    assert "Morgan Ellis" in page and alert.reference in page and disclosure.reference in page
    assert ordinary.reference not in page


def test_a_role_that_cannot_read_the_words_leaves_no_opening(app, client):
    create_staff_user("pt@trust.example", "participation", PASSWORD)
    disclosure = record_feedback(kind="concern", text="I am scared at home", channel="web_chat")
    disclosure.safeguarding = True
    db.session.commit()
    sign_in(client, "pt@trust.example")
    page = client.get(f"/staff/feedback/{disclosure.reference}").get_data(as_text=True)
    assert "I am scared at home" not in page
    assert access_log.recent_openings() == []

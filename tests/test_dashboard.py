"""The staff dashboard through HTTP: sign-in, roles, escaping, case actions and closing the loop."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.models import Complaint, FeedbackReply, LoopTask
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user

PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def monday():
    timekeeping.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    yield
    timekeeping.freeze(None)


@pytest.fixture
def people(app):
    return {
        role: create_staff_user(f"{role}@trust.example", role, PASSWORD, name=f"{role.title()} Person")
        for role in ("complaints", "participation", "manager", "admin")
    }


def sign_in(client, role: str) -> None:
    response = client.post("/login", data={"email": f"{role}@trust.example", "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_logged_out_staff_are_sent_to_sign_in(client):
    for path in ("/staff/", "/staff/complaints", "/staff/loop", "/staff/feedback/VOS-2026-000001"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")


def test_wrong_password_is_401_with_a_message(client, people):
    response = client.post("/login", data={"email": "complaints@trust.example", "password": "nope-nope-nope"})
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)


def test_login_does_not_redirect_to_other_sites(client, people):
    response = client.post(
        "/login?next=https://evil.example/x", data={"email": "complaints@trust.example", "password": PASSWORD}
    )
    assert response.location == "/staff/"


def test_participation_cannot_open_complaint_pages(client, people, app):
    feedback = record_feedback(kind="complaint", text="x", channel="web_chat")
    sign_in(client, "participation")
    assert client.get("/staff/complaints").status_code == 403
    assert client.get("/staff/complaints/new").status_code == 403
    response = client.post(
        f"/staff/feedback/{feedback.reference}/complaint",
        data={"procedure": "statutory", "relationship": "self"},
    )
    assert response.status_code == 403
    assert client.get("/staff/loop").status_code == 200


def test_complaints_team_cannot_close_the_loop(client, people):
    sign_in(client, "complaints")
    assert client.get("/staff/loop").status_code == 403


def test_the_queue_shows_a_new_complaint_and_escapes_what_was_written(client, people, app):
    feedback = record_feedback(
        kind="complaint", text='<script>alert("x")</script> they ignored me', channel="web_chat"
    )
    sign_in(client, "complaints")
    queue = client.get("/staff/").get_data(as_text=True)
    assert feedback.reference in queue and "New complaint" in queue
    page = client.get(f"/staff/feedback/{feedback.reference}").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; they ignored me" in page


def test_case_actions_through_the_dashboard(client, people, session):
    feedback = record_feedback(kind="complaint", text="family time cancelled", channel="web_chat")
    sign_in(client, "complaints")
    response = client.post(
        f"/staff/feedback/{feedback.reference}/complaint",
        data={"procedure": "statutory", "relationship": "self"},
    )
    assert response.status_code == 303
    page = f"/staff/complaints/{feedback.reference}"
    assert client.post(f"{page}/acknowledge", data={"on": "2026-11-23"}).status_code == 303
    again = client.post(f"{page}/acknowledge", data={"on": "2026-11-23"})
    assert again.status_code == 409 and "already acknowledged" in again.get_data(as_text=True)
    no_reason = client.post(f"{page}/extend", data={"reason": ""})
    assert no_reason.status_code == 409 and "needs a reason" in no_reason.get_data(as_text=True)
    assert client.post(f"{page}/extend", data={"reason": "Complex"}).status_code == 303
    bad_date = client.post(f"{page}/respond", data={"on": "not-a-date", "outcome": "upheld", "text": "x"})
    assert bad_date.status_code == 400
    assert (
        client.post(
            f"{page}/respond", data={"outcome": "upheld", "text": "Sorry: it will not happen again."}
        ).status_code
        == 303
    )
    assert client.post(f"{page}/escalate", data={"on": "2026-11-23"}).status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "stage 2 (Investigation)" in html
    assert "In time" in html
    complaint = session.scalars(select(Complaint)).one()
    assert [e.kind for e in complaint.events] == [
        "received",
        "acknowledged",
        "letter",
        "extended",
        "letter",
        "responded",
        "letter",
        "escalated",
        "received",
    ]
    assert client.post(f"{page}/nonsense", data={}).status_code == 404


def test_closing_the_loop_shows_glossary_findings_before_sending(client, people, session):
    feedback = record_feedback(kind="idea", text="a film night", channel="web_chat")
    sign_in(client, "participation")
    assert (
        client.post(
            f"/staff/feedback/{feedback.reference}/outcome", data={"outcome": "Film night booked for March"}
        ).status_code
        == 303
    )
    task = session.scalars(select(LoopTask)).one()
    url = f"/staff/loop/{task.id}"
    first = client.post(url, data={"message": "Your placement will host a film night!", "method": "web"})
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "“placement” → try “home”" in html
    assert "Your home will host a film night!" in html
    assert session.scalars(select(FeedbackReply)).all() == []
    checked = html.split('name="checked" type="hidden" value="')[1].split('"')[0]
    # sending the checked words without saying they are intended is refused
    refused = client.post(
        url, data={"message": "Your placement will host a film night!", "method": "web", "checked": checked}
    )
    assert refused.status_code == 422
    # changing the words means they are checked again before anything is sent
    changed = client.post(
        url, data={"message": "Your home will host a film night!", "method": "web", "checked": checked}
    )
    assert changed.status_code == 200 and session.scalars(select(FeedbackReply)).all() == []
    checked = changed.get_data(as_text=True).split('name="checked" type="hidden" value="')[1].split('"')[0]
    sent = client.post(
        url, data={"message": "Your home will host a film night!", "method": "web", "checked": checked}
    )
    assert sent.status_code == 303
    assert [r.text for r in session.scalars(select(FeedbackReply))] == ["Your home will host a film night!"]


def test_a_safeguarding_record_hides_its_words_from_participation(client, people, session):
    feedback = record_feedback(kind="concern", text="he hits me", channel="web_chat")
    feedback.safeguarding = True
    session.commit()
    sign_in(client, "participation")
    html = client.get(f"/staff/feedback/{feedback.reference}").get_data(as_text=True)
    assert "he hits me" not in html and "shown only to the complaints team and managers" in html
    client.post("/logout")
    sign_in(client, "manager")
    assert "he hits me" in client.get(f"/staff/feedback/{feedback.reference}").get_data(as_text=True)


def test_staff_forms_need_csrf_tokens(client, people, app):
    app.config["WTF_CSRF_ENABLED"] = True
    login = client.post("/login", data={"email": "complaints@trust.example", "password": PASSWORD})
    assert login.status_code == 400  # no token: refused, nobody is signed in
    assert client.get("/staff/").status_code == 302


def test_letters_are_previewed_shown_on_the_case_and_printable(client, people, session):
    from feedbackbot.services import complaints as svc

    feedback = record_feedback(kind="complaint", text="my review moved", channel="web_chat")
    complaint = svc.open_complaint(
        people["complaints"],
        feedback_reference=feedback.reference,
        procedure="statutory",
        relationship="self",
    )
    sign_in(client, "complaints")
    page = f"/staff/complaints/{feedback.reference}"
    preview = client.post(
        f"{page}/letters/preview", data={"kind": "outcome", "text": "We moved your LAC review."}
    ).get_data(as_text=True)
    assert "Nothing has been sent" in preview and "Young People&#39;s Review" in preview
    assert svc.case_view(complaint).current.acknowledged_on is None
    refused = client.post(f"{page}/respond", data={"outcome": "upheld", "text": "Your placement is safe."})
    assert refused.status_code == 422 and "Suggested: Your home is safe." in refused.get_data(as_text=True)
    assert client.post(f"{page}/acknowledge", data={}).status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "We have your complaint" in html and "read the letter" in html
    (letter,) = [e for e in complaint.events if e.kind == "letter"]
    printed = client.get(f"{page}/letters/{letter.id}").get_data(as_text=True)
    assert "Thank you for telling us about your complaint" in printed and "data-print" in printed
    assert client.get(f"{page}/letters/99999").status_code == 404
